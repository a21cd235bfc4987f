#include "salekeys.h"

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

QByteArray SaleKeys::hashTag(qint64 goodsId)
{
    return QByteArrayLiteral("{g:").append(QByteArray::number(goodsId)).append('}');
}

QByteArray SaleKeys::eventChannel()
{
    return QByteArrayLiteral("flashsale:events");
}

} // namespace flashsale::redis
