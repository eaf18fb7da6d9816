#pragma once
/// Paints one model of app::ModelLibraryModel as a card: preview, name, family badge and trigger
/// words; greyed when the model does not fit the current checkpoint. Fixed size, so the list view
/// can use uniform item sizes and never asks the model about rows off screen. GUI thread.

#include <QStyledItemDelegate>

namespace easel::ui {

class ModelCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kCardWidth = 132;
    static constexpr int kCardHeight = 172;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace easel::ui
