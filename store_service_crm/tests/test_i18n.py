from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "store_service_crm"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every translatable string of the addon is in the .pot and translated in zh_CN."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        i18n = Path(get_module_path(MODULE)) / "i18n"
        cls.pot = polib.pofile(str(i18n / f"{MODULE}.pot"))
        cls.zh = polib.pofile(str(i18n / "zh_CN.po"))

    def _terms_in_code(self):
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        return {term for _module, _type, _name, _res_id, term, _comments, _src in reader}

    def test_pot_is_up_to_date(self):
        in_code = self._terms_in_code()
        in_pot = {entry.msgid for entry in self.pot}
        self.assertTrue(in_code)
        missing = sorted(in_code - in_pot)
        stale = sorted(in_pot - in_code)
        self.assertFalse(missing, "strings missing from the .pot (run ./dev.sh i18n)")
        self.assertFalse(stale, "strings in the .pot no longer in the code (run ./dev.sh i18n)")

    def test_zh_cn_is_complete(self):
        translations = {entry.msgid: entry for entry in self.zh}
        untranslated = [
            msgid
            for msgid in (e.msgid for e in self.pot)
            if msgid not in translations or not translations[msgid].msgstr
        ]
        fuzzy = [e.msgid for e in self.zh if "fuzzy" in e.flags]
        self.assertFalse(untranslated, "zh_CN.po: untranslated strings")
        self.assertFalse(fuzzy, "zh_CN.po: fuzzy strings")

    def test_app_menu_shows_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)
        root = self.env.ref("store_service_crm.menu_store_service_root")
        self.assertEqual(root.with_context(lang="zh_CN").name, "客户服务")
