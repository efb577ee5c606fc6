# oca-gen-addon-readme from OCA's maintainer-tools (see README.md here).
