#include "ui/model_card_delegate.h"

#include <algorithm>

#include <QApplication>
#include <QPainter>
#include <QPixmap>

#include "app/model_library_model.h"

namespace easel::ui {

using app::ModelLibraryModel;

void ModelCardDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->save();
    const QRect card = option.rect.adjusted(3, 3, -3, -3);
    const bool compatible = index.data(ModelLibraryModel::CompatibleRole).toBool() ||
                            !index.data(ModelLibraryModel::LoadedRole).toBool();
    const QPalette& pal = option.palette;
    if (option.state & QStyle::State_Selected)
        painter->fillRect(card, pal.highlight());
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(card, pal.alternateBase());
    if (!compatible)
        painter->setOpacity(0.35); // greyed: the tooltip says why

    const int side = ModelLibraryModel::kPreviewSize;
    const QRect previewRect(card.left() + (card.width() - side) / 2, card.top() + 2, side, side);
    const QPixmap preview = index.data(Qt::DecorationRole).value<QPixmap>();
    if (!preview.isNull()) {
        const QSize size = preview.size().scaled(previewRect.size(), Qt::KeepAspectRatio);
        const QRect target(previewRect.center().x() - size.width() / 2, previewRect.center().y() - size.height() / 2,
                           size.width(), size.height());
        painter->drawPixmap(target, preview);
    }

    // Family badge over the preview's top-left corner.
    const QString family = index.data(ModelLibraryModel::FamilyRole).toString();
    QFont small = option.font;
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.8));
    if (!family.isEmpty()) {
        painter->setFont(small);
        const QFontMetrics fm(small);
        const QRect badge(previewRect.left() + 2, previewRect.top() + 2, fm.horizontalAdvance(family) + 8,
                          fm.height() + 2);
        painter->setPen(Qt::NoPen);
        painter->setBrush(family.startsWith(QLatin1String("SDXL")) ? QColor(124, 58, 237) : QColor(37, 99, 235));
        painter->drawRoundedRect(badge, 3, 3);
        painter->setPen(Qt::white);
        painter->drawText(badge, Qt::AlignCenter, family);
    }

    const QColor textColor = (option.state & QStyle::State_Selected) ? pal.highlightedText().color() : pal.text().color();
    const QRect nameRect(card.left() + 2, previewRect.bottom() + 3, card.width() - 4, option.fontMetrics.height());
    painter->setFont(option.font);
    painter->setPen(textColor);
    const QString name = index.data(Qt::DisplayRole).toString();
    painter->drawText(nameRect, Qt::AlignHCenter | Qt::AlignVCenter,
                      option.fontMetrics.elidedText(name, Qt::ElideMiddle, nameRect.width()));

    const QString words = index.data(ModelLibraryModel::TriggerWordsRole).toString();
    if (!words.isEmpty()) {
        painter->setFont(small);
        QColor dim = textColor;
        dim.setAlphaF(0.7f);
        painter->setPen(dim);
        const QFontMetrics fm(small);
        const QRect wordsRect(card.left() + 2, nameRect.bottom() + 1, card.width() - 4, card.bottom() - nameRect.bottom() - 1);
        painter->drawText(wordsRect, Qt::AlignHCenter | Qt::AlignTop,
                          fm.elidedText(words, Qt::ElideRight, wordsRect.width()));
    }
    painter->restore();
}

QSize ModelCardDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const
{
    return {kCardWidth, kCardHeight};
}

} // namespace easel::ui
