-- The admin API's own state: each sale's secret for the buy path, the operator's kill
-- switches (reloaded on start) and the audit trail of every admin action.

ALTER TABLE miaosha_goods ADD COLUMN path_secret bytea;

CREATE TABLE degradation (
    scope      text        PRIMARY KEY, -- 'site' or a goods id
    is_on      boolean     NOT NULL,
    message    text        NOT NULL DEFAULT '' CHECK (length(message) <= 500),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE admin_audit (
    id     bigserial   PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT now(),
    actor  text        NOT NULL,
    action text        NOT NULL,
    target text        NOT NULL DEFAULT '',
    detail jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX admin_audit_at ON admin_audit (at);
