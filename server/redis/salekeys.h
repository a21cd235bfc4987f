#pragma once

#include <QByteArray>

namespace flashsale::redis {

/// Where one product's sale lives in Redis. Every key of a product carries the hash tag
/// `{g:<goodsId>}`, so all of them sit in one Cluster slot and each script runs on one node:
///
/// | key                       | type   | what                                                   |
/// |---------------------------|--------|--------------------------------------------------------|
/// | `{g:42}:stock`            | string | units left; its absence means "no such sale"           |
/// | `{g:42}:total`            | string | units ever loaded (first load + top-ups)               |
/// | `{g:42}:seq`              | string | last sequence number (queue position) handed out       |
/// | `{g:42}:results`          | hash   | userId -> `q:<seq>:<ms>` queued, `c:<orderId>` created,|
/// |                           |        | `f:<reason>` failed (`failed` or `cancelled`)          |
/// | `{g:42}:pending`          | zset   | userId scored by reservation time (ms, server clock):  |
/// |                           |        | reservations without an order yet, for the reconciler  |
/// | `{g:42}:soldout`          | string | "1" while sold out                                     |
/// | `{g:42}:win:<userId>`     | string | the shopper's request window (SET NX PX, 10 s default) |
/// | `{g:42}:aw:<address>`     | string | a client address's window, when the sale has one       |
/// | `{g:42}:pow:<digest>`     | string | a solved proof-of-work challenge, used (SET NX PX,     |
/// |                           |        | until it expires); digest: hex of its SHA-256's first 16
/// bytes |
///
/// Events go to one channel for all products and instances (eventChannel()), as JSON:
/// `{"type":"sold_out","goodsId":42}` when stock reaches 0 and
/// `{"type":"restocked","goodsId":42,"stock":5}` when a rollback or top-up reopens a sold-out
/// sale. Other parts of the server publish their own types (rates, kill switch) there.
struct SaleKeys
{
    /// The keys of product \a goodsId.
    explicit SaleKeys(qint64 goodsId);

    QByteArray stock; ///< `{g:N}:stock`
    QByteArray total; ///< `{g:N}:total`
    QByteArray sequence; ///< `{g:N}:seq`
    QByteArray results; ///< `{g:N}:results`
    QByteArray pending; ///< `{g:N}:pending`
    QByteArray soldOut; ///< `{g:N}:soldout`

    /// `{g:N}:win:<userId>`.
    QByteArray window(qint64 userId) const;
    /// `{g:N}:aw:<address>`.
    QByteArray addressWindow(QByteArrayView address) const;
    /// `{g:N}:pow:<digest of challenge>`.
    QByteArray usedChallenge(QByteArrayView challenge) const;

    /// `{g:N}`.
    static QByteArray hashTag(qint64 goodsId);
    /// The channel every instance listens to: `flashsale:events`.
    static QByteArray eventChannel();

private:
    QByteArray m_tag; ///< the hash tag
};

} // namespace flashsale::redis
