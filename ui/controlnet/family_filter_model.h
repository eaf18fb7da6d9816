#pragma once
/// ControlNet models that fit the current checkpoint: a filter over a ModelListModel by its
/// FamilyRole. A model of unknown family, or any model while the checkpoint's family is unknown,
/// stays visible: the engine checks compatibility at generation time and says why it refuses.
/// GUI thread.

#include <QSortFilterProxyModel>

namespace easel::ui {

class FamilyFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit FamilyFilterModel(QObject* parent = nullptr);

    /// "SD1", "SD2", "SDXL", … ("" = show every model).
    void setFamily(const QString& family);
    QString family() const { return m_family; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_family;
};

} // namespace easel::ui
