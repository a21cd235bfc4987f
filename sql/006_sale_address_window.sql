-- A sale may allow one buy attempt per client address per address_window_ms, beside the
-- per-shopper window, since one bot can hold many accounts. 0, the default, sets none;
-- the longest is an hour.
ALTER TABLE miaosha_goods
    ADD COLUMN address_window_ms integer NOT NULL DEFAULT 0
        CONSTRAINT address_window_ms_range CHECK (address_window_ms BETWEEN 0 AND 3600000);
