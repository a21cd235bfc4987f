-- The dedicated flash-sale database: products, shoppers, sales and their orders.
-- Money is in cents; times are timestamptz (UTC on the wire).

CREATE TABLE goods (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text        NOT NULL DEFAULT '',
    image       text        NOT NULL DEFAULT '',
    price_cents bigint      NOT NULL CHECK (price_cents >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text        NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
    password_hash text        NOT NULL,
    password_salt text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per product on sale. `stock` is what the database still has to sell; the
-- worker decrements it with the optimistic lock on `version`. A row without times is a
-- draft: the product exists but no sale is scheduled.
CREATE TABLE miaosha_goods (
    goods_id          bigint           PRIMARY KEY REFERENCES goods (id) ON DELETE CASCADE,
    flash_price_cents bigint           NOT NULL CHECK (flash_price_cents >= 0),
    stock             integer          NOT NULL DEFAULT 0 CHECK (stock >= 0),
    preloaded_stock   integer          NOT NULL DEFAULT 0 CHECK (preloaded_stock >= 0),
    version           bigint           NOT NULL DEFAULT 0,
    reveal_at         timestamptz,
    start_at          timestamptz,
    end_at            timestamptz,
    rate_per_second   double precision NOT NULL DEFAULT 1000 CHECK (rate_per_second > 0),
    burst             integer          NOT NULL DEFAULT 100 CHECK (burst > 0),
    CHECK ((reveal_at IS NULL AND start_at IS NULL AND end_at IS NULL)
           OR (reveal_at <= start_at AND start_at < end_at))
);

-- An order is the durable end of a reservation. At most one per shopper and product, and
-- one per reservation, so that a redelivered message can never make a second order.
CREATE TABLE miaosha_order (
    id           bigserial   PRIMARY KEY,
    user_id      bigint      NOT NULL,
    goods_id     bigint      NOT NULL REFERENCES miaosha_goods (goods_id),
    reservation  text        NOT NULL UNIQUE,
    status       text        NOT NULL DEFAULT 'created'
                             CHECK (status IN ('created', 'paid', 'cancelled')),
    price_cents  bigint      NOT NULL CHECK (price_cents >= 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    paid_at      timestamptz,
    cancelled_at timestamptz,
    UNIQUE (user_id, goods_id)
);

CREATE INDEX miaosha_order_goods_status ON miaosha_order (goods_id, status);
