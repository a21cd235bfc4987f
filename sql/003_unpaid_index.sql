-- The payment-timeout sweep looks for the oldest unpaid orders; without this index it reads
-- the whole order table every few seconds. Partial: paid and cancelled orders stay out.
CREATE INDEX miaosha_order_unpaid ON miaosha_order (created_at) WHERE status = 'created';
