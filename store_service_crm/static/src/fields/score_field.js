import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { parseInteger } from "@web/views/fields/parsers";

import { Component } from "@odoo/owl";

/**
 * A score that may not have been given (CSAT 1-5, NPS 0-10).
 *
 * An integer field shows 0 when nothing was asked yet; a score shows empty
 * instead. With `given_field` (the NPS), the boolean that tells an answer
 * from no answer is shown and set with the score, so typing 0 is an answer
 * and clearing the input is "not asked".
 */
export class StoreScoreField extends Component {
    static template = "store_service_crm.ScoreField";
    static props = {
        ...standardFieldProps,
        givenField: { type: String, optional: true },
        placeholder: { type: String, optional: true },
    };

    setup() {
        this.notification = useService("notification");
    }

    get value() {
        return this.props.record.data[this.props.name];
    }

    get given() {
        if (this.props.givenField) {
            return Boolean(this.props.record.data[this.props.givenField]);
        }
        return Boolean(this.value);
    }

    get formattedValue() {
        return this.given ? String(this.value) : "";
    }

    async onChange(ev) {
        const raw = ev.target.value.trim();
        const changes = {};
        if (raw === "") {
            changes[this.props.name] = 0;
            if (this.props.givenField) {
                changes[this.props.givenField] = false;
            }
        } else {
            let score;
            try {
                score = parseInteger(raw);
            } catch {
                this.notification.add(_t("A score is a whole number."), { type: "danger" });
                ev.target.value = this.formattedValue;
                return;
            }
            changes[this.props.name] = score;
            if (this.props.givenField) {
                changes[this.props.givenField] = true;
            }
        }
        await this.props.record.update(changes);
    }
}

export const storeScoreField = {
    component: StoreScoreField,
    displayName: _t("Score"),
    supportedTypes: ["integer"],
    extractProps: ({ attrs, options }) => ({
        givenField: options.given_field,
        placeholder: attrs.placeholder,
    }),
};

registry.category("fields").add("store_score", storeScoreField);
