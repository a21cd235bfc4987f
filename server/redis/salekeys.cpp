#include "salekeys.h"

#include <QCryptographicHash>

namespace flashsale::redis {

namespace {

QByteArray joined(const QByteArray &tag, QByteArrayView suffix)
{
    return QByteArray(tag).append(suffix);
}

} // namespace

SaleKeys::SaleKeys(qint64 goodsId)
    : stock(joined(hashTag(goodsId), ":stock"))
    , total(joined(hashTag(goodsId), ":total"))
    , sequence(joined(hashTag(goodsId), ":seq"))
    , results(joined(hashTag(goodsId), ":results"))
    , pending(joined(hashTag(goodsId), ":pending"))
    , soldOut(joined(hashTag(goodsId), ":soldout"))
    , m_tag(hashTag(goodsId))
{ }

QByteArray SaleKeys::window(qint64 userId) const
{
    return joined(m_tag, ":win:").append(QByteArray::number(userId));
}

QByteArray SaleKeys::addressWindow(QByteArrayView address) const
{
    return joined(m_tag, ":aw:").append(address.first(std::min<qsizetype>(address.size(), 64)));
}

QByteArray SaleKeys::usedChallenge(QByteArrayView challenge) const
{
    // A digest, not the challenge itself: keys stay short whatever a client sends.
    return joined(m_tag, ":pow:")
        .append(QCryptographicHash::hash(challenge, QCryptographicHash::Sha256).left(16).toHex());
}

QByteArray SaleKeys::hashTag(qint64 goodsId)
{
    return QByteArrayLiteral("{g:").append(QByteArray::number(goodsId)).append('}');
}

QByteArray SaleKeys::eventChannel()
{
    return QByteArrayLiteral("flashsale:events");
}

} // namespace flashsale::redis
