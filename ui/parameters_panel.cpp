#include "ui/parameters_panel.h"

#include <QAbstractItemModel>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <string>
#include <vector>

#include "app/aspect_presets.h"
#include "app/model_list_model.h"
#include "engine/api/samplers.h"

namespace easel::ui {
namespace {

constexpr int kSizeStep = 8;   // latents are 1/8 of the image; A1111 sliders step by 8

/// A spin box that only settles on multiples of 8 (typing 513 becomes 512 when editing ends).
class SizeSpinBox : public QSpinBox {
public:
    explicit SizeSpinBox(int minimum, QWidget* parent)
        : QSpinBox(parent)
    {
        setRange(minimum, 8192);
        setSingleStep(kSizeStep);
        setAccelerated(true);
    }

protected:
    QValidator::State validate(QString& text, int& pos) const override
    {
        const QValidator::State state = QSpinBox::validate(text, pos);
        if (state == QValidator::Acceptable && valueFromText(text) % kSizeStep != 0)
            return QValidator::Intermediate;
        return state;
    }
    void fixup(QString& text) const override
    {
        const int value = valueFromText(text);
        text = textFromValue(std::clamp((value + kSizeStep / 2) / kSizeStep * kSizeStep, minimum(), maximum()));
    }
};

int roundToStep(int value) { return (value + kSizeStep / 2) / kSizeStep * kSizeStep; }

QLineEdit* makeSeedEdit(QWidget* parent)
{
    auto* edit = new QLineEdit(parent);
    edit->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("-?\\d{0,19}")), edit));
    edit->setText(QStringLiteral("-1"));
    return edit;
}

std::int64_t seedValue(const QLineEdit* edit)
{
    bool ok = false;
    const qlonglong value = edit->text().trimmed().toLongLong(&ok);
    return ok && value >= 0 ? value : -1;
}

QToolButton* makeToolButton(const QString& text, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setText(text);
    return button;
}

QWidget* row(QWidget* parent, std::initializer_list<QWidget*> widgets, int stretchIndex = 0)
{
    auto* box = new QWidget(parent);
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    int i = 0;
    for (QWidget* w : widgets)
        layout->addWidget(w, i++ == stretchIndex ? 1 : 0);
    return box;
}

QStringList toQStrings(const std::vector<std::string>& names)
{
    QStringList out;
    for (const std::string& name : names)
        out << QString::fromStdString(name);
    return out;
}

void setLabel(QFormLayout* form, QWidget* field, const QString& text)
{
    if (auto* label = qobject_cast<QLabel*>(form->labelForField(field)))
        label->setText(text);
}

} // namespace

QStringList ParametersPanel::samplerNames() { return toQStrings(api::samplerLabels()); }

QStringList ParametersPanel::scheduleNames() { return toQStrings(api::scheduleLabels()); }

QStringList ParametersPanel::hiresUpscalerNames()
{
    // Ref: A1111 shared_items / latent_upscale_modes and the built-in PIL upscalers.
    return {"Latent", "Latent (antialiased)", "Latent (bicubic)", "Latent (bicubic antialiased)",
            "Latent (nearest)", "Latent (nearest-exact)", "None", "Lanczos", "Nearest"};
}

ParametersPanel::ParametersPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("ParametersPanel"));
    build();
    retranslate();
}

void ParametersPanel::build()
{
    auto* outer = new QVBoxLayout(this);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(m_form);

    m_checkpoint = new QComboBox(this);
    m_checkpoint->setObjectName(QStringLiteral("CheckpointPicker"));
    m_checkpoint->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_checkpoint->setMinimumContentsLength(12);
    m_vae = new QComboBox(this);
    m_vae->setObjectName(QStringLiteral("VaePicker"));
    m_vae->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_vae->setMinimumContentsLength(12);
    rebuildVaeItems();
    // An empty QLabel, not addRow(QString(), …): QFormLayout makes no label for an empty text, and
    // retranslate() fills the labels in through labelForField.
    m_form->addRow(new QLabel, m_checkpoint);
    m_form->addRow(new QLabel, m_vae);

    m_sampler = new QComboBox(this);
    m_sampler->setObjectName(QStringLiteral("SamplerPicker"));
    m_sampler->addItems(samplerNames());
    // The engine's menu order starts with DPM++ 2M; the panel starts on the request's default.
    m_sampler->setCurrentText(QString::fromStdString(api::GenerationRequest{}.sampler));
    m_schedule = new QComboBox(this);
    m_schedule->setObjectName(QStringLiteral("SchedulePicker"));
    m_schedule->addItems(scheduleNames());
    m_form->addRow(new QLabel, m_sampler);
    m_form->addRow(new QLabel, m_schedule);

    m_steps = new QSpinBox(this);
    m_steps->setObjectName(QStringLiteral("Steps"));
    m_steps->setRange(1, 150);
    m_steps->setValue(20);
    m_cfg = new QDoubleSpinBox(this);
    m_cfg->setObjectName(QStringLiteral("CfgScale"));
    m_cfg->setRange(1.0, 30.0);
    m_cfg->setSingleStep(0.5);
    m_cfg->setDecimals(1);
    m_cfg->setValue(7.0);
    m_form->addRow(new QLabel, m_steps);
    m_form->addRow(new QLabel, m_cfg);

    m_seed = makeSeedEdit(this);
    m_seed->setObjectName(QStringLiteral("Seed"));
    m_seedRandom = makeToolButton(QStringLiteral("\U0001F3B2"), this);
    m_seedRandom->setObjectName(QStringLiteral("SeedRandom"));
    m_seedReuse = makeToolButton(QStringLiteral("\u267B"), this);
    m_seedReuse->setObjectName(QStringLiteral("SeedReuse"));
    m_seedReuse->setEnabled(false);
    m_form->addRow(new QLabel, row(this, {m_seed, m_seedRandom, m_seedReuse}));
    connect(m_seedRandom, &QToolButton::clicked, this, [this] { m_seed->setText(QStringLiteral("-1")); });
    connect(m_seedReuse, &QToolButton::clicked, this, [this] {
        if (m_lastSeed >= 0)
            m_seed->setText(QString::number(m_lastSeed));
    });

    m_variation = new QGroupBox(this);
    m_variation->setObjectName(QStringLiteral("VariationGroup"));
    m_variation->setCheckable(true);
    m_variation->setChecked(false);
    m_variationForm = new QFormLayout(m_variation);
    m_subseed = makeSeedEdit(m_variation);
    m_subseed->setObjectName(QStringLiteral("VariationSeed"));
    m_subseedRandom = makeToolButton(QStringLiteral("\U0001F3B2"), m_variation);
    connect(m_subseedRandom, &QToolButton::clicked, this, [this] { m_subseed->setText(QStringLiteral("-1")); });
    m_subseedStrength = new QDoubleSpinBox(m_variation);
    m_subseedStrength->setObjectName(QStringLiteral("VariationStrength"));
    m_subseedStrength->setRange(0.0, 1.0);
    m_subseedStrength->setSingleStep(0.01);
    m_subseedStrength->setDecimals(2);
    m_variationForm->addRow(new QLabel, row(m_variation, {m_subseed, m_subseedRandom}));
    m_variationForm->addRow(new QLabel, m_subseedStrength);
    outer->addWidget(m_variation);

    // Size and the rest sit below the variation group, as in A1111.
    m_lowerForm = new QFormLayout;
    m_lowerForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(m_lowerForm);
    m_width = new SizeSpinBox(64, this);
    m_width->setObjectName(QStringLiteral("Width"));
    m_width->setValue(512);
    m_height = new SizeSpinBox(64, this);
    m_height->setObjectName(QStringLiteral("Height"));
    m_height->setValue(512);
    m_swap = makeToolButton(QStringLiteral("\u21C5"), this);
    m_swap->setObjectName(QStringLiteral("SwapSize"));
    m_aspect = makeToolButton(QString(), this);
    m_aspect->setObjectName(QStringLiteral("AspectPresets"));
    m_aspect->setPopupMode(QToolButton::InstantPopup);
    m_aspect->setMenu(new QMenu(m_aspect));
    connect(m_swap, &QToolButton::clicked, this, &ParametersPanel::swapSize);
    m_lowerForm->addRow(new QLabel, m_width);
    m_lowerForm->addRow(new QLabel, row(this, {m_height, m_swap, m_aspect}));

    m_batchCount = new QSpinBox(this);
    m_batchCount->setObjectName(QStringLiteral("BatchCount"));
    m_batchCount->setRange(1, 100);
    m_batchSize = new QSpinBox(this);
    m_batchSize->setObjectName(QStringLiteral("BatchSize"));
    m_batchSize->setRange(1, 8);
    m_clipSkip = new QSpinBox(this);
    m_clipSkip->setObjectName(QStringLiteral("ClipSkip"));
    m_clipSkip->setRange(1, 12);
    m_rng = new QComboBox(this);
    m_rng->setObjectName(QStringLiteral("RngSource"));
    m_rng->addItem(QStringLiteral("GPU"), int(api::RngSource::Gpu));
    m_rng->addItem(QStringLiteral("CPU"), int(api::RngSource::Cpu));
    m_lowerForm->addRow(new QLabel, m_batchCount);
    m_lowerForm->addRow(new QLabel, m_batchSize);
    m_lowerForm->addRow(new QLabel, m_clipSkip);
    m_lowerForm->addRow(new QLabel, m_rng);
    // A1111's "Tiling" checkbox (seamless textures): request.tiling.
    m_tiling = new QCheckBox(this);
    m_tiling->setObjectName(QStringLiteral("Tiling"));
    m_lowerForm->addRow(new QLabel, m_tiling);

    m_hires = new QGroupBox(this);
    m_hires->setObjectName(QStringLiteral("HiresGroup"));
    m_hires->setCheckable(true);
    m_hires->setChecked(false);
    m_hiresForm = new QFormLayout(m_hires);
    m_hiresUpscaler = new QComboBox(m_hires);
    m_hiresUpscaler->setObjectName(QStringLiteral("HiresUpscaler"));
    m_hiresUpscaler->addItems(hiresUpscalerNames());
    m_hiresScale = new QDoubleSpinBox(m_hires);
    m_hiresScale->setObjectName(QStringLiteral("HiresScale"));
    m_hiresScale->setRange(1.0, 4.0);
    m_hiresScale->setSingleStep(0.05);
    m_hiresScale->setValue(2.0);
    m_hiresSteps = new QSpinBox(m_hires);
    m_hiresSteps->setObjectName(QStringLiteral("HiresSteps"));
    m_hiresSteps->setRange(0, 150);
    m_hiresDenoise = new QDoubleSpinBox(m_hires);
    m_hiresDenoise->setObjectName(QStringLiteral("HiresDenoise"));
    m_hiresDenoise->setRange(0.0, 1.0);
    m_hiresDenoise->setSingleStep(0.01);
    m_hiresDenoise->setValue(0.7);
    m_hiresWidth = new SizeSpinBox(0, m_hires);
    m_hiresWidth->setObjectName(QStringLiteral("HiresWidth"));
    m_hiresHeight = new SizeSpinBox(0, m_hires);
    m_hiresHeight->setObjectName(QStringLiteral("HiresHeight"));
    m_hiresForm->addRow(new QLabel, m_hiresUpscaler);
    m_hiresForm->addRow(new QLabel, m_hiresScale);
    m_hiresForm->addRow(new QLabel, m_hiresSteps);
    m_hiresForm->addRow(new QLabel, m_hiresDenoise);
    m_hiresForm->addRow(new QLabel, m_hiresWidth);
    m_hiresForm->addRow(new QLabel, m_hiresHeight);
    outer->addWidget(m_hires);
    outer->addStretch(1);

    // Anything the user touches is a change worth remembering.
    for (QComboBox* box : findChildren<QComboBox*>())
        connect(box, &QComboBox::currentIndexChanged, this, &ParametersPanel::changed);
    for (QSpinBox* box : findChildren<QSpinBox*>())
        connect(box, &QSpinBox::valueChanged, this, &ParametersPanel::changed);
    for (QDoubleSpinBox* box : findChildren<QDoubleSpinBox*>())
        connect(box, &QDoubleSpinBox::valueChanged, this, &ParametersPanel::changed);
    for (QLineEdit* edit : {m_seed, m_subseed})
        connect(edit, &QLineEdit::textChanged, this, &ParametersPanel::changed);
    for (QGroupBox* group : {m_variation, m_hires})
        connect(group, &QGroupBox::toggled, this, &ParametersPanel::changed);
    connect(m_tiling, &QCheckBox::toggled, this, &ParametersPanel::changed);
    connect(m_steps, &QSpinBox::valueChanged, this, &ParametersPanel::stepsChanged);
    connect(m_checkpoint, &QComboBox::currentIndexChanged, this, &ParametersPanel::rebuildAspectMenu);
    rebuildAspectMenu();
}

void ParametersPanel::retranslate()
{
    setLabel(m_form, m_checkpoint, tr("Checkpoint"));
    setLabel(m_form, m_vae, tr("VAE"));
    m_vae->setItemText(0, tr("Automatic"));
    setLabel(m_form, m_sampler, tr("Sampler"));
    setLabel(m_form, m_schedule, tr("Schedule type"));
    setLabel(m_form, m_steps, tr("Steps"));
    setLabel(m_form, m_cfg, tr("CFG scale"));
    setLabel(m_form, m_seed->parentWidget(), tr("Seed"));
    m_seed->setToolTip(tr("-1 picks a random seed"));
    m_seedRandom->setToolTip(tr("Random seed (-1)"));
    m_seedReuse->setToolTip(tr("Reuse the seed of the last image"));
    m_variation->setTitle(tr("Variation seed"));
    setLabel(m_variationForm, m_subseed->parentWidget(), tr("Variation seed"));
    setLabel(m_variationForm, m_subseedStrength, tr("Variation strength"));
    m_subseedRandom->setToolTip(tr("Random seed (-1)"));
    setLabel(m_lowerForm, m_width, tr("Width"));
    setLabel(m_lowerForm, m_height->parentWidget(), tr("Height"));
    m_swap->setToolTip(tr("Swap width and height"));
    m_aspect->setText(tr("Aspect"));
    m_aspect->setToolTip(tr("Sizes the chosen checkpoint's family was trained at"));
    setLabel(m_lowerForm, m_batchCount, tr("Batch count"));
    setLabel(m_lowerForm, m_batchSize, tr("Batch size"));
    setLabel(m_lowerForm, m_clipSkip, tr("Clip skip"));
    setLabel(m_lowerForm, m_rng, tr("RNG source"));
    m_rng->setToolTip(tr("GPU reproduces A1111 seeds made on NVIDIA cards; CPU those made with the CPU generator"));
    m_tiling->setText(tr("Tiling"));
    m_tiling->setToolTip(tr("Seamless texture: the image wraps around, so copies of it tile without seams"));
    m_hires->setTitle(tr("Hires. fix"));
    setLabel(m_hiresForm, m_hiresUpscaler, tr("Upscaler"));
    setLabel(m_hiresForm, m_hiresScale, tr("Upscale by"));
    setLabel(m_hiresForm, m_hiresSteps, tr("Hires steps"));
    m_hiresSteps->setSpecialValueText(tr("Same as steps"));
    setLabel(m_hiresForm, m_hiresDenoise, tr("Denoising strength"));
    setLabel(m_hiresForm, m_hiresWidth, tr("Resize width to"));
    setLabel(m_hiresForm, m_hiresHeight, tr("Resize height to"));
    m_hiresWidth->setSpecialValueText(tr("From scale"));
    m_hiresHeight->setSpecialValueText(tr("From scale"));
    rebuildAspectMenu();
}

void ParametersPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ParametersPanel::setCheckpointModel(QAbstractItemModel* model)
{
    m_checkpointModel = model;
    m_checkpoint->setModel(model);
    connect(model, &QAbstractItemModel::modelReset, this, &ParametersPanel::selectPendingCheckpoint);
    connect(model, &QAbstractItemModel::layoutChanged, this, &ParametersPanel::selectPendingCheckpoint);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ParametersPanel::selectPendingCheckpoint);
    selectPendingCheckpoint();
}

void ParametersPanel::setVaeModel(QAbstractItemModel* model)
{
    m_vaeModel = model;
    connect(model, &QAbstractItemModel::modelReset, this, &ParametersPanel::rebuildVaeItems);
    connect(model, &QAbstractItemModel::layoutChanged, this, &ParametersPanel::rebuildVaeItems);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ParametersPanel::rebuildVaeItems);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &ParametersPanel::rebuildVaeItems);
    rebuildVaeItems();
}

namespace {

QString rowName(const QAbstractItemModel* model, int row)
{
    const QModelIndex index = model->index(row, 0);
    const QString name = index.data(app::ModelListModel::NameRole).toString();
    return name.isEmpty() ? index.data(Qt::DisplayRole).toString() : name;
}

QString rowPath(const QAbstractItemModel* model, int row)
{
    const QString path = model->index(row, 0).data(app::ModelListModel::PathRole).toString();
    return path.isEmpty() ? rowName(model, row) : path;
}

/// Row naming `wanted` (path, name, stem or hash), through ModelListModel when that is the model.
int findRow(const QAbstractItemModel* model, const QString& wanted)
{
    if (!model || wanted.isEmpty())
        return -1;
    if (auto* list = qobject_cast<const app::ModelListModel*>(model))
        return list->findModel(wanted);
    for (int row = 0; row < model->rowCount(); ++row)
        if (rowName(model, row).compare(wanted, Qt::CaseInsensitive) == 0 || rowPath(model, row) == wanted)
            return row;
    return -1;
}

} // namespace

void ParametersPanel::rebuildVaeItems()
{
    const QString current = m_vae->count() > 0 ? m_vae->currentData().toString() : QString();
    const QSignalBlocker block(m_vae);
    m_vae->clear();
    m_vae->addItem(tr("Automatic"), QString());
    if (m_vaeModel) {
        for (int row = 0; row < m_vaeModel->rowCount(); ++row)
            m_vae->addItem(rowName(m_vaeModel, row), rowPath(m_vaeModel, row));
    }
    const QString wanted = m_pendingVae.isEmpty() ? current : m_pendingVae;
    const int row = findRow(m_vaeModel, wanted);
    m_vae->setCurrentIndex(row >= 0 ? row + 1 : 0);
    if (row >= 0)
        m_pendingVae.clear();
}

void ParametersPanel::selectPendingCheckpoint()
{
    if (m_pendingCheckpoint.isEmpty() || !m_checkpointModel)
        return;
    const int row = findRow(m_checkpointModel, m_pendingCheckpoint);
    if (row >= 0) {
        m_checkpoint->setCurrentIndex(row);
        m_pendingCheckpoint.clear();
    }
}

QString ParametersPanel::currentFamily() const
{
    if (!m_checkpointModel || m_checkpoint->currentIndex() < 0)
        return {};
    return m_checkpointModel->index(m_checkpoint->currentIndex(), 0).data(app::ModelListModel::FamilyRole).toString();
}

void ParametersPanel::rebuildAspectMenu()
{
    QMenu* menu = m_aspect->menu();
    menu->clear();
    const QString family = currentFamily();
    for (const app::AspectPreset& preset : app::aspectPresets(family)) {
        QAction* action = menu->addAction(QStringLiteral("%1  —  %2 × %3").arg(preset.ratio).arg(preset.width).arg(preset.height));
        action->setData(QSize(preset.width, preset.height));
        connect(action, &QAction::triggered, this, [this, preset] {
            m_width->setValue(preset.width);
            m_height->setValue(preset.height);
        });
    }
}

void ParametersPanel::swapSize()
{
    const int width = m_width->value();
    m_width->setValue(m_height->value());
    m_height->setValue(width);
}

void ParametersPanel::setLastSeed(std::int64_t seed)
{
    m_lastSeed = seed;
    m_seedReuse->setEnabled(seed >= 0);
}

api::GenerationRequest ParametersPanel::toRequest() const
{
    api::GenerationRequest r;
    if (m_checkpointModel && m_checkpoint->currentIndex() >= 0)
        r.model = rowPath(m_checkpointModel, m_checkpoint->currentIndex()).toStdString();
    else if (!m_pendingCheckpoint.isEmpty())
        r.model = m_pendingCheckpoint.toStdString();
    r.vae = m_vae->currentData().toString().toStdString();
    r.sampler = m_sampler->currentText().toStdString();
    r.scheduler = m_schedule->currentText().toStdString();
    r.steps = m_steps->value();
    r.cfgScale = m_cfg->value();
    r.seed = seedValue(m_seed);
    if (m_variation->isChecked()) {
        r.subseed = seedValue(m_subseed);
        r.subseedStrength = m_subseedStrength->value();
    }
    r.width = roundToStep(m_width->value());
    r.height = roundToStep(m_height->value());
    r.batchCount = m_batchCount->value();
    r.batchSize = m_batchSize->value();
    r.clipSkip = m_clipSkip->value();
    r.rng = api::RngSource(m_rng->currentData().toInt());
    r.tiling = m_tiling->isChecked();
    r.hires.enabled = m_hires->isChecked();
    r.hires.upscaler = m_hiresUpscaler->currentText().toStdString();
    r.hires.scale = m_hiresScale->value();
    r.hires.steps = m_hiresSteps->value();
    r.hires.denoisingStrength = m_hiresDenoise->value();
    r.hires.resizeX = m_hiresWidth->value();
    r.hires.resizeY = m_hiresHeight->value();
    return r;
}

QStringList ParametersPanel::setFromRequest(const api::GenerationRequest& r)
{
    QStringList missing;
    const QString model = QString::fromStdString(r.model);
    if (!model.isEmpty()) {
        const int row = findRow(m_checkpointModel, model);
        if (row >= 0) {
            m_checkpoint->setCurrentIndex(row);
            m_pendingCheckpoint.clear();
        } else {
            missing << model;
            if (!m_checkpointModel || m_checkpointModel->rowCount() == 0)
                m_pendingCheckpoint = model; // the list may still be loading
        }
    }
    const QString vae = QString::fromStdString(r.vae);
    if (vae.isEmpty() || vae == QLatin1String("None") || vae == QLatin1String("Automatic")) {
        m_vae->setCurrentIndex(0);
    } else if (const int row = findRow(m_vaeModel, vae); row >= 0) {
        m_vae->setCurrentIndex(row + 1);
    } else {
        missing << vae;
        if (!m_vaeModel || m_vaeModel->rowCount() == 0)
            m_pendingVae = vae;
    }

    const auto choose = [](QComboBox* box, const std::string& text) {
        const int index = box->findText(QString::fromStdString(text), Qt::MatchFixedString);
        if (index >= 0)
            box->setCurrentIndex(index);
    };
    choose(m_sampler, r.sampler);
    choose(m_schedule, r.scheduler.empty() ? std::string("Automatic") : r.scheduler);
    m_steps->setValue(r.steps);
    m_cfg->setValue(r.cfgScale);
    m_seed->setText(QString::number(r.seed < 0 ? -1 : r.seed));
    m_variation->setChecked(r.subseedStrength > 0.0);
    m_subseed->setText(QString::number(r.subseed < 0 ? -1 : r.subseed));
    m_subseedStrength->setValue(r.subseedStrength);
    m_width->setValue(roundToStep(r.width));
    m_height->setValue(roundToStep(r.height));
    m_batchCount->setValue(r.batchCount);
    m_batchSize->setValue(r.batchSize);
    m_clipSkip->setValue(r.clipSkip);
    m_rng->setCurrentIndex(m_rng->findData(int(r.rng)));
    m_tiling->setChecked(r.tiling);
    m_hires->setChecked(r.hires.enabled);
    // Pixel upscalers are open-ended (ESRGAN models by file name): keep an unknown one selectable.
    if (m_hiresUpscaler->findText(QString::fromStdString(r.hires.upscaler), Qt::MatchFixedString) < 0
        && !r.hires.upscaler.empty())
        m_hiresUpscaler->addItem(QString::fromStdString(r.hires.upscaler));
    choose(m_hiresUpscaler, r.hires.upscaler);
    m_hiresScale->setValue(r.hires.scale);
    m_hiresSteps->setValue(r.hires.steps);
    m_hiresDenoise->setValue(r.hires.denoisingStrength);
    m_hiresWidth->setValue(roundToStep(r.hires.resizeX));
    m_hiresHeight->setValue(roundToStep(r.hires.resizeY));
    return missing;
}

} // namespace easel::ui
