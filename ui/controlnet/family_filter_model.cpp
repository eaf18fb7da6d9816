#include "ui/controlnet/family_filter_model.h"

#include "app/model_list_model.h"

namespace easel::ui {

FamilyFilterModel::FamilyFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
}

void FamilyFilterModel::setFamily(const QString& family)
{
    if (family == m_family)
        return;
    // Qt 6.4 has no beginFilterChange(); invalidateFilter() emits the row removals/insertions.
    m_family = family;
    invalidateFilter();
}

bool FamilyFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_family.isEmpty())
        return true;
    const QString family =
        sourceModel()->index(sourceRow, 0, sourceParent).data(app::ModelListModel::FamilyRole).toString();
    return family.isEmpty() || family.compare(m_family, Qt::CaseInsensitive) == 0;
}

} // namespace easel::ui
