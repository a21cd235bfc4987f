-- A sale may ask shoppers for a proof of work before it hands out the secret buy path
-- (GET /api/sales/{goodsId}/challenge): the leading zero bits SHA-256(challenge:nonce) must
-- have. 0, the default, asks for none; 24 is about 16 million hashes on average.
ALTER TABLE miaosha_goods
    ADD COLUMN challenge_bits integer NOT NULL DEFAULT 0
        CONSTRAINT challenge_bits_range CHECK (challenge_bits BETWEEN 0 AND 24);
