#include "ui/controlnet/controlnet_panel.h"

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/image_convert.h"
#include "app/model_list_model.h"
#include "engine/api/error.h"
#include "ui/controlnet/control_unit_widget.h"
#include "ui/controlnet/family_filter_model.h"
#include "ui/parameters_panel.h"

namespace easel::ui {

namespace {

constexpr int kInitialUnits = 3; // A1111's default "Multi-ControlNet" unit count

} // namespace

ControlNetPanel::ControlNetPanel(QWidget* parent)
    : QWidget(parent)
    , m_filtered(new FamilyFilterModel(this))
{
    setObjectName(QStringLiteral("ControlNetPanel"));
    auto* layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("ControlNetUnits"));
    m_tabs->setDocumentMode(true);
    auto* corner = new QWidget(m_tabs);
    auto* cornerLayout = new QHBoxLayout(corner);
    cornerLayout->setContentsMargins(0, 0, 0, 0);
    m_add = new QToolButton(corner);
    m_add->setObjectName(QStringLiteral("ControlNetAddUnit"));
    m_add->setText(QStringLiteral("+"));
    m_remove = new QToolButton(corner);
    m_remove->setObjectName(QStringLiteral("ControlNetRemoveUnit"));
    m_remove->setText(QStringLiteral("\u2212"));
    cornerLayout->addWidget(m_add);
    cornerLayout->addWidget(m_remove);
    m_tabs->setCornerWidget(corner, Qt::TopRightCorner);
    layout->addWidget(m_tabs);
    connect(m_add, &QToolButton::clicked, this, [this] { m_tabs->setCurrentWidget(addUnit()); });
    connect(m_remove, &QToolButton::clicked, this, [this] { removeUnit(m_tabs->currentIndex()); });
    for (int i = 0; i < kInitialUnits; ++i)
        addUnit();
    m_tabs->setCurrentIndex(0);
    retranslate();
}

void ControlNetPanel::setControlNetModels(app::ModelListModel* models) { m_filtered->setSourceModel(models); }

void ControlNetPanel::followParameters(ParametersPanel* parameters, app::ModelListModel* checkpoints)
{
    auto sync = [this, parameters, checkpoints] {
        const api::GenerationRequest r = parameters->toRequest();
        const int row = checkpoints->findModel(QString::fromStdString(r.model));
        setCheckpointFamily(row >= 0 ? checkpoints->entries().at(row).family : QString());
        setTargetSize(QSize(r.width, r.height));
    };
    connect(parameters, &ParametersPanel::changed, this, sync);
    // The family of a checkpoint is known once the scan has filled the list.
    connect(checkpoints, &QAbstractItemModel::modelReset, this, sync);
    sync();
}

void ControlNetPanel::setCheckpointFamily(const QString& family) { m_filtered->setFamily(family); }

void ControlNetPanel::setTargetSize(const QSize& size)
{
    m_targetSize = size;
    for (int i = 0; i < unitCount(); ++i)
        unit(i)->setTargetSize(size);
}

void ControlNetPanel::setCanvasSource(std::function<QImage()> source)
{
    m_canvasSource = std::move(source);
    for (int i = 0; i < unitCount(); ++i)
        unit(i)->setCanvasSource(m_canvasSource);
}

void ControlNetPanel::setLastResultSource(std::function<QString()> source)
{
    m_lastResultSource = std::move(source);
    for (int i = 0; i < unitCount(); ++i)
        unit(i)->setLastResultSource(m_lastResultSource);
}

int ControlNetPanel::unitCount() const { return m_tabs->count(); }

ControlUnitWidget* ControlNetPanel::unit(int index) const
{
    return qobject_cast<ControlUnitWidget*>(m_tabs->widget(index));
}

ControlUnitWidget* ControlNetPanel::addUnit()
{
    auto* u = new ControlUnitWidget(m_tabs);
    u->setModelList(m_filtered);
    u->setTargetSize(m_targetSize);
    u->setCanvasSource(m_canvasSource);
    u->setLastResultSource(m_lastResultSource);
    connect(u, &ControlUnitWidget::notice, this, &ControlNetPanel::notice);
    connect(u, &ControlUnitWidget::enabledToggled, this, &ControlNetPanel::updateTabTitles);
    m_tabs->addTab(u, QString());
    updateTabTitles();
    return u;
}

void ControlNetPanel::removeUnit(int index)
{
    if (unitCount() <= 1 || index < 0 || index >= unitCount())
        return;
    QWidget* w = m_tabs->widget(index);
    m_tabs->removeTab(index);
    w->deleteLater();
    updateTabTitles();
}

void ControlNetPanel::applyTo(api::GenerationRequest& r) const
{
    r.controlNets.clear();
    for (int i = 0; i < unitCount(); ++i) {
        const ControlUnitWidget* w = unit(i);
        if (!w->isUnitEnabled())
            continue;
        api::ControlUnit u = w->toUnit();
        const std::string which = "ControlNet unit " + std::to_string(i);
        if (!w->hasImage())
            throw api::Error(api::ErrorCode::InvalidRequest, which + " has no image; choose one or disable the unit");
        if (u.model.empty())
            throw api::Error(api::ErrorCode::InvalidRequest,
                             which + " has no model; put ControlNet models into the ControlNet model folder "
                                     "(Settings) and pick one that fits the checkpoint");
        if (!w->imageFile().isEmpty() && QFileInfo::exists(w->imageFile())) {
            u.image = w->imageFile().toStdString();
        } else {
            // The request owns a copy: edits never change a queued job's picture.
            u.image.clear();
            u.imagePixels = app::toApiImage(w->image());
        }
        r.controlNets.push_back(u);
    }
}

QStringList ControlNetPanel::setFromRequest(const api::GenerationRequest& r)
{
    QStringList missing;
    while (unitCount() < static_cast<int>(r.controlNets.size()))
        addUnit();
    for (int i = 0; i < unitCount(); ++i) {
        if (i >= static_cast<int>(r.controlNets.size())) {
            unit(i)->setUnitEnabled(false);
            continue;
        }
        const api::ControlUnit& u = r.controlNets[i];
        unit(i)->setFromUnit(u);
        if (!u.model.empty() && !unit(i)->selectModel(QString::fromStdString(u.model)))
            missing << QString::fromStdString(u.model);
    }
    return missing;
}

void ControlNetPanel::retranslate()
{
    setWindowTitle(tr("ControlNet"));
    m_add->setToolTip(tr("Add a unit"));
    m_remove->setToolTip(tr("Remove this unit"));
    updateTabTitles();
}

void ControlNetPanel::updateTabTitles()
{
    for (int i = 0; i < unitCount(); ++i) {
        // A check mark tells at a glance which units take part.
        m_tabs->setTabText(i, unit(i)->isUnitEnabled() ? tr("Unit %1 \u2713").arg(i) : tr("Unit %1").arg(i));
    }
    m_remove->setEnabled(unitCount() > 1);
}

void ControlNetPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace easel::ui
