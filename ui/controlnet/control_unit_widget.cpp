#include "ui/controlnet/control_unit_widget.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "app/model_list_model.h"
#include "engine/api/control_modes.h"
#include "engine/api/preprocessors.h"
#include "ui/common/image_mime.h"
#include "ui/controlnet/preprocess_preview.h"

namespace easel::ui {

namespace {

constexpr int kThumb = 160;

/// A slider beside a spin box, both showing one value in [minimum, maximum]; the slider works in
/// hundredths so it has the spin box's resolution.
QSlider* pairWithSlider(QDoubleSpinBox* spin, QWidget* parent)
{
    auto* slider = new QSlider(Qt::Horizontal, parent);
    slider->setRange(qRound(spin->minimum() * 100), qRound(spin->maximum() * 100));
    slider->setValue(qRound(spin->value() * 100));
    QObject::connect(slider, &QSlider::valueChanged, spin, [spin](int v) {
        if (qRound(spin->value() * 100) != v)
            spin->setValue(v / 100.0);
    });
    QObject::connect(spin, &QDoubleSpinBox::valueChanged, slider, [slider](double v) {
        const QSignalBlocker block(slider);
        slider->setValue(qRound(v * 100));
    });
    return slider;
}

QWidget* row(QWidget* parent, std::initializer_list<QWidget*> widgets)
{
    auto* box = new QWidget(parent);
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : widgets)
        layout->addWidget(w, qobject_cast<QSlider*>(w) ? 1 : 0);
    return box;
}

QPixmap thumbnail(const QImage& image)
{
    if (image.isNull())
        return {};
    return QPixmap::fromImage(image.scaled(kThumb, kThumb, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

} // namespace

ControlUnitWidget::ControlUnitWidget(QWidget* parent)
    : QWidget(parent)
    , m_previewer(new PreprocessPreview(this))
{
    build();
    retranslate();
    onPreprocessorChanged();
    connect(m_previewer, &PreprocessPreview::ready, this, [this](const QImage& control, const QString& error) {
        m_preview = control;
        m_previewError = error;
        m_previewLabel->setPixmap(thumbnail(control));
        if (control.isNull())
            m_previewLabel->setText(error);
        m_previewLabel->setToolTip(error);
        Q_EMIT previewUpdated();
    });
}

void ControlUnitWidget::build()
{
    auto* layout = new QVBoxLayout(this);
    m_enable = new QCheckBox(this);
    m_enable->setObjectName(QStringLiteral("ControlNetEnable"));
    connect(m_enable, &QCheckBox::toggled, this, &ControlUnitWidget::enabledToggled);
    layout->addWidget(m_enable);

    // Picture and the preprocessor's result side by side.
    auto* images = new QHBoxLayout;
    for (QLabel** label : {&m_imageLabel, &m_previewLabel}) {
        *label = new QLabel(this);
        (*label)->setFixedSize(kThumb, kThumb);
        (*label)->setAlignment(Qt::AlignCenter);
        (*label)->setWordWrap(true);
        (*label)->setFrameShape(QFrame::StyledPanel);
        images->addWidget(*label);
    }
    m_imageLabel->setObjectName(QStringLiteral("ControlNetImage"));
    m_previewLabel->setObjectName(QStringLiteral("ControlNetPreview"));
    layout->addLayout(images);

    auto* sources = new QGridLayout;
    m_open = new QPushButton(this);
    m_paste = new QPushButton(this);
    m_fromCanvas = new QPushButton(this);
    m_fromResult = new QPushButton(this);
    m_clear = new QPushButton(this);
    m_open->setObjectName(QStringLiteral("ControlNetOpen"));
    m_paste->setObjectName(QStringLiteral("ControlNetPaste"));
    m_fromCanvas->setObjectName(QStringLiteral("ControlNetFromCanvas"));
    m_fromResult->setObjectName(QStringLiteral("ControlNetFromResult"));
    m_clear->setObjectName(QStringLiteral("ControlNetClear"));
    sources->addWidget(m_open, 0, 0);
    sources->addWidget(m_paste, 0, 1);
    sources->addWidget(m_clear, 0, 2);
    sources->addWidget(m_fromCanvas, 1, 0);
    sources->addWidget(m_fromResult, 1, 1, 1, 2);
    layout->addLayout(sources);
    connect(m_open, &QPushButton::clicked, this, &ControlUnitWidget::chooseImageFile);
    connect(m_paste, &QPushButton::clicked, this, [this] {
        if (!pasteImage())
            Q_EMIT notice(tr("The clipboard holds no image."));
    });
    // Ctrl+V anywhere in the unit, as in the canvas.
    auto* paste = new QShortcut(QKeySequence::Paste, this, this, [this] { pasteImage(); });
    paste->setContext(Qt::WidgetWithChildrenShortcut);
    connect(m_fromCanvas, &QPushButton::clicked, this, [this] {
        const QImage image = m_canvasSource ? m_canvasSource() : QImage();
        if (image.isNull())
            Q_EMIT notice(tr("The canvas holds no image."));
        else
            setImage(image);
    });
    connect(m_fromResult, &QPushButton::clicked, this, [this] {
        const QString path = m_lastResultSource ? m_lastResultSource() : QString();
        if (path.isEmpty())
            Q_EMIT notice(tr("There is no generated image yet."));
        else
            loadImageFile(path);
    });
    connect(m_clear, &QPushButton::clicked, this, [this] { setImage({}); });

    auto* form = new QFormLayout;
    layout->addLayout(form);
    m_preprocessorLabel = new QLabel(this);
    m_preprocessor = new QComboBox(this);
    m_preprocessor->setObjectName(QStringLiteral("ControlNetPreprocessor"));
    for (const auto& info : api::preprocessorList())
        m_preprocessor->addItem(QString::fromStdString(info.name), QString::fromStdString(info.name));
    form->addRow(m_preprocessorLabel, m_preprocessor);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("ControlNetPreprocessorNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->hide();
    form->addRow(m_note);
    m_aLabel = new QLabel(this);
    m_a = new QDoubleSpinBox(this);
    m_a->setObjectName(QStringLiteral("ControlNetThresholdA"));
    form->addRow(m_aLabel, m_a);
    m_bLabel = new QLabel(this);
    m_b = new QDoubleSpinBox(this);
    m_b->setObjectName(QStringLiteral("ControlNetThresholdB"));
    form->addRow(m_bLabel, m_b);
    m_resolutionLabel = new QLabel(this);
    m_resolution = new QSpinBox(this);
    m_resolution->setObjectName(QStringLiteral("ControlNetResolution"));
    m_resolution->setRange(64, 2048);
    m_resolution->setSingleStep(64);
    m_resolution->setValue(512);
    m_pixelPerfect = new QCheckBox(this);
    m_pixelPerfect->setObjectName(QStringLiteral("ControlNetPixelPerfect"));
    form->addRow(m_resolutionLabel, row(this, {m_resolution, m_pixelPerfect}));
    connect(m_pixelPerfect, &QCheckBox::toggled, m_resolution, &QWidget::setDisabled);

    m_modelLabel = new QLabel(this);
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("ControlNetModel"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(16);
    form->addRow(m_modelLabel, m_model);

    auto spin = [this](const char* name, double max, double value) {
        auto* s = new QDoubleSpinBox(this);
        s->setObjectName(QString::fromLatin1(name));
        s->setRange(0.0, max);
        s->setSingleStep(0.05);
        s->setDecimals(2);
        s->setValue(value);
        return s;
    };
    m_weightLabel = new QLabel(this);
    m_weight = spin("ControlNetWeight", 2.0, 1.0);
    m_weightSlider = pairWithSlider(m_weight, this);
    form->addRow(m_weightLabel, row(this, {m_weightSlider, m_weight}));
    m_startLabel = new QLabel(this);
    m_start = spin("ControlNetGuidanceStart", 1.0, 0.0);
    m_startSlider = pairWithSlider(m_start, this);
    form->addRow(m_startLabel, row(this, {m_startSlider, m_start}));
    m_endLabel = new QLabel(this);
    m_end = spin("ControlNetGuidanceEnd", 1.0, 1.0);
    m_endSlider = pairWithSlider(m_end, this);
    form->addRow(m_endLabel, row(this, {m_endSlider, m_end}));
    // Start never passes end: moving one pushes the other, as A1111's sliders do not but users expect.
    connect(m_start, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (m_end->value() < v)
            m_end->setValue(v);
    });
    connect(m_end, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (m_start->value() > v)
            m_start->setValue(v);
    });

    m_controlModeLabel = new QLabel(this);
    m_controlMode = new QComboBox(this);
    m_controlMode->setObjectName(QStringLiteral("ControlNetControlMode"));
    for (const std::string& label : api::controlModeLabels())
        m_controlMode->addItem(QString(), QString::fromStdString(label));
    form->addRow(m_controlModeLabel, m_controlMode);
    m_resizeModeLabel = new QLabel(this);
    m_resizeMode = new QComboBox(this);
    m_resizeMode->setObjectName(QStringLiteral("ControlNetResizeMode"));
    for (const auto mode : {api::ResizeMode::JustResize, api::ResizeMode::CropAndResize, api::ResizeMode::ResizeAndFill})
        m_resizeMode->addItem(QString(), static_cast<int>(mode));
    m_resizeMode->setCurrentIndex(1); // the extension's default: Crop and Resize
    form->addRow(m_resizeModeLabel, m_resizeMode);
    layout->addStretch(1);

    connect(m_preprocessor, &QComboBox::currentIndexChanged, this, &ControlUnitWidget::onPreprocessorChanged);
    connect(m_model, &QComboBox::currentIndexChanged, this, &ControlUnitWidget::updatePreprocessorNote);
    for (QDoubleSpinBox* s : {m_a, m_b})
        connect(s, &QDoubleSpinBox::valueChanged, this, &ControlUnitWidget::refreshPreview);
    connect(m_resolution, &QSpinBox::valueChanged, this, &ControlUnitWidget::refreshPreview);
    connect(m_pixelPerfect, &QCheckBox::toggled, this, &ControlUnitWidget::refreshPreview);
    connect(m_resizeMode, &QComboBox::currentIndexChanged, this, &ControlUnitWidget::refreshPreview);
}

void ControlUnitWidget::retranslate()
{
    m_enable->setText(tr("Enable"));
    m_open->setText(tr("Open…"));
    m_paste->setText(tr("Paste"));
    m_paste->setToolTip(tr("Use the image on the clipboard (Ctrl+V)"));
    m_fromCanvas->setText(tr("From canvas"));
    m_fromResult->setText(tr("Last result"));
    m_clear->setText(tr("Clear"));
    if (m_image.isNull())
        m_imageLabel->setText(tr("No image"));
    if (m_preview.isNull() && m_previewError.isEmpty())
        m_previewLabel->setText(tr("Preview"));
    m_preprocessorLabel->setText(tr("Preprocessor"));
    for (int i = 0; i < m_preprocessor->count(); ++i) {
        const auto* info = api::findPreprocessor(m_preprocessor->itemData(i).toString().toStdString());
        if (info)
            m_preprocessor->setItemData(i, engineText(info->label), Qt::ToolTipRole);
    }
    m_resolutionLabel->setText(tr("Resolution"));
    m_pixelPerfect->setText(tr("Pixel perfect"));
    m_pixelPerfect->setToolTip(tr("Pick the processor resolution that matches the image size"));
    m_modelLabel->setText(tr("Model"));
    m_weightLabel->setText(tr("Weight"));
    m_startLabel->setText(tr("Starting step"));
    m_endLabel->setText(tr("Ending step"));
    m_controlModeLabel->setText(tr("Control mode"));
    m_controlMode->setItemText(0, tr("Balanced"));
    m_controlMode->setItemText(1, tr("My prompt is more important"));
    m_controlMode->setItemText(2, tr("ControlNet is more important"));
    m_resizeModeLabel->setText(tr("Resize mode"));
    m_resizeMode->setItemText(0, tr("Just resize"));
    m_resizeMode->setItemText(1, tr("Crop and resize"));
    m_resizeMode->setItemText(2, tr("Resize and fill"));
    updateSlots();
    updatePreprocessorNote();
}

QString ControlUnitWidget::engineText(const std::string& text) const
{
    // The engine's preprocessor labels are English (the engine is never translated); the ones it
    // has today are listed here so lupdate offers them for translation. New ones show in English.
    static const char* const kKnown[] = {
        QT_TR_NOOP("None (image as given)"),
        QT_TR_NOOP("Canny edges"),
        QT_TR_NOOP("Scribble / sketch (threshold)"),
        QT_TR_NOOP("Line art (difference of Gaussians)"),
        QT_TR_NOOP("Soft edge (Gaussian + Sobel)"),
        QT_TR_NOOP("Tile / blur (down-sample)"),
        QT_TR_NOOP("Content shuffle"),
        QT_TR_NOOP("Invert (white background, black lines)"),
        QT_TR_NOOP("Depth (MiDaS/DPT ONNX)"),
        QT_TR_NOOP("Normal map (NormalBAE ONNX)"),
        QT_TR_NOOP("OpenPose body (ONNX, one person)"),
        QT_TR_NOOP("Segmentation ADE20K (ONNX)"),
        QT_TR_NOOP("Low Threshold"),
        QT_TR_NOOP("High Threshold"),
        QT_TR_NOOP("Threshold"),
        QT_TR_NOOP("Invert (dark lines on light)"),
        QT_TR_NOOP("Gaussian Sigma"),
        QT_TR_NOOP("Threshold Offset"),
        QT_TR_NOOP("Down Sampling Rate"),
    };
    for (const char* known : kKnown)
        if (text == known)
            return tr(known);
    return QString::fromStdString(text);
}

void ControlUnitWidget::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ControlUnitWidget::setModelList(QAbstractItemModel* models)
{
    m_model->setModel(models);
    m_model->setModelColumn(0);
    updatePreprocessorNote();
}

void ControlUnitWidget::setTargetSize(const QSize& size)
{
    if (size == m_targetSize)
        return;
    m_targetSize = size;
    if (m_pixelPerfect->isChecked())
        refreshPreview();
}

bool ControlUnitWidget::isUnitEnabled() const { return m_enable->isChecked(); }
void ControlUnitWidget::setUnitEnabled(bool on) { m_enable->setChecked(on); }

void ControlUnitWidget::setImage(const QImage& image, const QString& file)
{
    m_image = image;
    m_imageFile = image.isNull() ? QString() : file;
    m_imageLabel->setPixmap(thumbnail(image));
    if (image.isNull()) {
        m_imageLabel->setText(tr("No image"));
        m_preview = {};
        m_previewError.clear();
        m_previewLabel->setText(tr("Preview"));
    } else {
        m_imageLabel->setToolTip(file);
        // Choosing a picture is the usual way to say "use this unit".
        m_enable->setChecked(true);
    }
    refreshPreview();
}

bool ControlUnitWidget::loadImageFile(const QString& path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QImage image = reader.read();
    if (image.isNull()) {
        Q_EMIT notice(tr("%1 could not be opened as an image: %2").arg(QFileInfo(path).fileName(), reader.errorString()));
        return false;
    }
    setImage(image, QFileInfo(path).absoluteFilePath());
    return true;
}

bool ControlUnitWidget::pasteImage()
{
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime)
        return false;
    if (const QImage image = imageDataIn(mime); !image.isNull()) {
        setImage(image);
        return true;
    }
    // A copied file (file manager) is a URL.
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            return loadImageFile(url.toLocalFile());
    return false;
}

void ControlUnitWidget::chooseImageFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a control image"), QString(),
                                                      tr("Images (*.png *.jpg *.jpeg *.webp *.bmp)"));
    if (!path.isEmpty())
        loadImageFile(path);
}

QString ControlUnitWidget::currentPreprocessor() const { return m_preprocessor->currentData().toString(); }

void ControlUnitWidget::onPreprocessorChanged()
{
    updateSlots();
    updatePreprocessorNote();
    refreshPreview();
}

void ControlUnitWidget::updateSlots()
{
    const auto* info = api::findPreprocessor(currentPreprocessor().toStdString());
    auto apply = [this](const api::PreprocessorSlot* slot, QLabel* label, QDoubleSpinBox* spin) {
        const bool used = slot && !slot->label.empty();
        label->setVisible(used);
        spin->setVisible(used);
        if (!used)
            return;
        label->setText(engineText(slot->label));
        const QSignalBlocker block(spin);
        const bool keep = spin->property("slotFor").toString() == currentPreprocessor();
        const double old = spin->value();
        spin->setRange(slot->minimum, slot->maximum);
        spin->setSingleStep(slot->step);
        spin->setDecimals(slot->step < 1 ? 2 : 0);
        // A different preprocessor starts from its own defaults.
        spin->setValue(keep ? old : slot->defaultValue);
        spin->setProperty("slotFor", currentPreprocessor());
    };
    apply(info ? &info->a : nullptr, m_aLabel, m_a);
    apply(info ? &info->b : nullptr, m_bLabel, m_b);
    const bool resolution = info && info->usesResolution;
    m_resolutionLabel->setEnabled(resolution);
    m_resolution->setEnabled(resolution && !m_pixelPerfect->isChecked());
    m_pixelPerfect->setEnabled(resolution);
}

QStringList ControlUnitWidget::onnxSearchDirs() const
{
    // The same folders the pipeline searches (engine/controlnet/control_session.cpp).
    QStringList dirs;
    const QByteArray env = qgetenv("EASEL_ANNOTATORS");
    if (!env.isEmpty())
        dirs << QString::fromLocal8Bit(env);
    const QString model = m_model->currentIndex() >= 0
                              ? m_model->currentData(app::ModelListModel::PathRole).toString()
                              : QString();
    if (!model.isEmpty())
        dirs << QFileInfo(model).absoluteDir().filePath(QStringLiteral("annotators"));
    return dirs;
}

void ControlUnitWidget::updatePreprocessorNote()
{
    const auto* info = api::findPreprocessor(currentPreprocessor().toStdString());
    QString note;
    if (info && info->neural) {
        if (!api::neuralPreprocessorsAvailable()) {
            note = tr("This preprocessor needs OpenCV DNN, which this build lacks. Use a ready-made control "
                      "image with \"none\".");
        } else {
            std::vector<std::string> dirs;
            const QStringList search = onnxSearchDirs();
            for (const QString& d : search)
                dirs.push_back(d.toStdString());
            if (api::findOnnxModel(info->name, dirs).empty())
                note = tr("This preprocessor needs its model file %1.onnx. Put it into %2 or set "
                          "EASEL_ANNOTATORS to its folder.")
                           .arg(QString::fromStdString(info->name),
                                search.isEmpty() ? tr("an \"annotators\" folder beside the ControlNet model")
                                                 : search.join(QStringLiteral(", ")));
        }
    }
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

QString ControlUnitWidget::preprocessorNote() const { return m_note->text(); }

bool ControlUnitWidget::isPreviewBusy() const { return m_previewer->isBusy(); }

void ControlUnitWidget::refreshPreview()
{
    if (m_image.isNull())
        return;
    PreviewRequest r;
    r.image = m_image;
    r.preprocessor = currentPreprocessor();
    const auto mode = static_cast<api::ResizeMode>(m_resizeMode->currentData().toInt());
    r.resolution = m_pixelPerfect->isChecked()
                       ? api::pixelPerfectProcessorResolution(m_image.width(), m_image.height(),
                                                              m_targetSize.width(), m_targetSize.height(), mode)
                       : m_resolution->value();
    r.thresholdA = m_a->isVisibleTo(this) ? m_a->value() : -1;
    r.thresholdB = m_b->isVisibleTo(this) ? m_b->value() : -1;
    r.onnxSearchDirs = onnxSearchDirs();
    m_previewer->request(r);
}

api::ControlUnit ControlUnitWidget::toUnit() const
{
    api::ControlUnit u;
    u.enabled = m_enable->isChecked();
    u.model = m_model->currentIndex() >= 0 ? m_model->currentData(app::ModelListModel::PathRole).toString().toStdString()
                                           : std::string();
    u.preprocessor = currentPreprocessor().toStdString();
    u.weight = m_weight->value();
    u.guidanceStart = m_start->value();
    u.guidanceEnd = m_end->value();
    u.controlMode = m_controlMode->currentData().toString().toStdString();
    u.resizeMode = static_cast<api::ResizeMode>(m_resizeMode->currentData().toInt());
    u.processorResolution = m_resolution->value();
    u.pixelPerfect = m_pixelPerfect->isChecked();
    u.thresholdA = m_a->isVisibleTo(this) ? m_a->value() : -1;
    u.thresholdB = m_b->isVisibleTo(this) ? m_b->value() : -1;
    return u;
}

void ControlUnitWidget::setFromUnit(const api::ControlUnit& u)
{
    m_enable->setChecked(u.enabled);
    const auto* info = api::findPreprocessor(u.preprocessor);
    const int pre = m_preprocessor->findData(QString::fromStdString(info ? info->name : std::string("none")));
    m_preprocessor->setCurrentIndex(pre >= 0 ? pre : 0);
    updateSlots();
    if (u.thresholdA >= 0)
        m_a->setValue(u.thresholdA);
    if (u.thresholdB >= 0)
        m_b->setValue(u.thresholdB);
    if (!u.model.empty())
        selectModel(QString::fromStdString(u.model));
    m_weight->setValue(u.weight);
    m_end->setValue(1.0); // so that any start is accepted before the end is set
    m_start->setValue(u.guidanceStart);
    m_end->setValue(u.guidanceEnd);
    m_controlMode->setCurrentIndex(std::max(0, api::controlModeIndex(u.controlMode)));
    m_resizeMode->setCurrentIndex(m_resizeMode->findData(static_cast<int>(u.resizeMode)));
    m_resolution->setValue(u.processorResolution);
    m_pixelPerfect->setChecked(u.pixelPerfect);
    refreshPreview();
}

bool ControlUnitWidget::selectModel(const QString& pathOrName)
{
    QAbstractItemModel* models = m_model->model();
    if (!models)
        return false;
    // By path, then by name or file stem (infotext names "control_v11p_sd15_canny", the list has paths).
    for (int role : {int(app::ModelListModel::PathRole), int(app::ModelListModel::NameRole)})
        for (int r = 0; r < models->rowCount(); ++r) {
            const QString value = models->index(r, 0).data(role).toString();
            if (value.compare(pathOrName, Qt::CaseInsensitive) == 0
                || (role == app::ModelListModel::NameRole
                    && value.compare(QFileInfo(pathOrName).completeBaseName(), Qt::CaseInsensitive) == 0)) {
                m_model->setCurrentIndex(r);
                return true;
            }
        }
    return false;
}

} // namespace easel::ui
