#include "ui/lora_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "app/lora_mix.h"
#include "app/model_library_model.h"
#include "ui/lora_mix_widget.h"
#include "ui/model_card_delegate.h"

namespace easel::ui {

using app::ModelLibraryModel;

LoRAPanel::LoRAPanel(app::ModelLibraryModel* model, app::LoRAMix* mix, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_mix(mix)
{
    setObjectName(QStringLiteral("LoRAPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* filters = new QHBoxLayout;
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("LoRAKind"));
    m_kind->addItem(QString(), QStringLiteral("lora"));
    m_kind->addItem(QString(), QStringLiteral("embedding"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("LoRASearch"));
    m_search->setClearButtonEnabled(true);
    filters->addWidget(m_kind);
    filters->addWidget(m_search, 1);
    layout->addLayout(filters);
    auto* second = new QHBoxLayout;
    m_familyFilter = new QCheckBox(this);
    m_familyFilter->setObjectName(QStringLiteral("LoRAFamilyFilter"));
    m_count = new QLabel(this);
    second->addWidget(m_familyFilter, 1);
    second->addWidget(m_count);
    layout->addLayout(second);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_view = new QListView(splitter);
    m_view->setObjectName(QStringLiteral("LoRAGrid"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    // Uniform sizes: the view never asks the model about rows it does not show (virtualisation).
    m_view->setUniformItemSizes(true);
    m_view->setGridSize(QSize(ModelCardDelegate::kCardWidth, ModelCardDelegate::kCardHeight));
    m_view->setItemDelegate(new ModelCardDelegate(m_view));
    m_view->setMouseTracking(true);
    m_view->setModel(m_model);
    auto* mixScroll = new QScrollArea(splitter);
    mixScroll->setWidgetResizable(true);
    m_mixWidget = new LoRAMixWidget(m_mix, mixScroll);
    mixScroll->setWidget(m_mixWidget);
    splitter->addWidget(m_view);
    splitter->addWidget(mixScroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    // Every keystroke queries: the catalog answers a page in milliseconds, stale answers are dropped.
    connect(m_search, &QLineEdit::textChanged, m_model, &ModelLibraryModel::setSearchText);
    connect(m_familyFilter, &QCheckBox::toggled, m_model, &ModelLibraryModel::setFamilyFilter);
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_model->setKind(m_kind->itemData(i).toString()); });
    connect(m_view, &QListView::clicked, this, [this](const QModelIndex& index) { activateRow(index.row()); });
    connect(m_model, &ModelLibraryModel::refreshed, this, &LoRAPanel::updateCount);
    connect(m_model, &ModelLibraryModel::failed, this, &LoRAPanel::failed);
    connect(m_mixWidget, &LoRAMixWidget::insertTextRequested, this, &LoRAPanel::insertTextRequested);
    retranslate();
}

void LoRAPanel::setCheckpointFamily(const QString& family)
{
    m_model->setCheckpointFamily(family);
    retranslate();
}

bool LoRAPanel::activateRow(int row)
{
    const QModelIndex index = m_model->index(row);
    if (!index.isValid() || !(m_model->flags(index) & Qt::ItemIsEnabled))
        return false;
    const auto model = m_model->modelAt(row);
    if (!model)
        return false;
    const QString name = QString::fromStdString(model->name);
    if (m_model->kind() == QLatin1String("embedding")) {
        Q_EMIT insertTextRequested(name); // A1111: the file name is the trigger word
        return true;
    }
    app::LoRAMixEntry entry;
    entry.name = name;
    entry.family = index.data(ModelLibraryModel::FamilyRole).toString();
    entry.triggerWords = ModelLibraryModel::triggerWords(*model);
    entry.unetWeight = entry.textEncoderWeight = index.data(ModelLibraryModel::PreferredWeightRole).toDouble();
    m_mix->add(entry);
    return true;
}

void LoRAPanel::updateCount()
{
    m_count->setText(m_model->kind() == QLatin1String("embedding") ? tr("%n embedding(s)", nullptr, m_model->rowCount())
                                                                    : tr("%n LoRA(s)", nullptr, m_model->rowCount()));
}

void LoRAPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LoRAPanel::retranslate()
{
    setWindowTitle(tr("LoRA"));
    m_kind->setItemText(0, tr("LoRA"));
    m_kind->setItemText(1, tr("Embeddings"));
    m_search->setPlaceholderText(tr("Search names, trigger words, tags, folders…"));
    const QString family = m_model->checkpointFamily();
    m_familyFilter->setText(family.isEmpty() ? tr("Only for the current checkpoint")
                                             : tr("Only for the current checkpoint (%1)").arg(family));
    m_familyFilter->setToolTip(tr("Hides models trained for another model family; otherwise they are greyed"));
    updateCount();
}

} // namespace easel::ui
