#include "shopperorders.h"

#include "sqlerror.h"

#include <QSqlQuery>
#include <QVariant>

namespace flashsale::catalog::shopperorders {

Result<std::optional<qint64>> findForGoods(QSqlDatabase &db, qint64 userId, qint64 goodsId)
{
    using R = Result<std::optional<qint64>>;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM miaosha_order WHERE user_id = ? AND goods_id = ?"));
    q.addBindValue(userId);
    q.addBindValue(goodsId);
    if (!q.exec())
        return R::failure(db::queryFailure(db, q));
    if (!q.next())
        return R(std::nullopt);
    return R(q.value(0).toLongLong());
}

} // namespace flashsale::catalog::shopperorders
