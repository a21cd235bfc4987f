#include "salecatalog.h"

namespace flashsale::catalog {

SaleCatalog::SaleCatalog()
    : m_sales(std::make_shared<const QHash<qint64, SaleRecord>>())
{ }

SaleCatalog::Snapshot SaleCatalog::snapshot() const
{
    const std::lock_guard lock(m_mutex);
    return m_sales;
}

void SaleCatalog::replace(QHash<qint64, SaleRecord> sales)
{
    auto next = std::make_shared<const QHash<qint64, SaleRecord>>(std::move(sales));
    const std::lock_guard lock(m_mutex);
    m_sales = std::move(next);
}

bool SaleCatalog::replaceIf(QHash<qint64, SaleRecord> sales, quint64 generation)
{
    auto next = std::make_shared<const QHash<qint64, SaleRecord>>(std::move(sales));
    const std::lock_guard lock(m_mutex);
    if (m_generation != generation)
        return false;
    m_sales = std::move(next);
    return true;
}

quint64 SaleCatalog::generation() const
{
    const std::lock_guard lock(m_mutex);
    return m_generation;
}

void SaleCatalog::touch()
{
    const std::lock_guard lock(m_mutex);
    ++m_generation;
}

void SaleCatalog::upsert(const SaleRecord &sale)
{
    const std::lock_guard lock(m_mutex);
    ++m_generation;
    auto next = std::make_shared<QHash<qint64, SaleRecord>>(*m_sales);
    next->insert(sale.goods.goodsId, sale);
    m_sales = std::move(next);
}

bool SaleCatalog::isSoldOut(qint64 goodsId) const
{
    const std::lock_guard lock(m_mutex);
    return m_soldOut.contains(goodsId);
}

void SaleCatalog::setSoldOut(qint64 goodsId, bool soldOut)
{
    const std::lock_guard lock(m_mutex);
    if (soldOut)
        m_soldOut.insert(goodsId);
    else
        m_soldOut.remove(goodsId);
}

} // namespace flashsale::catalog
