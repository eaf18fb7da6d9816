#include "ui/canvas/inpaint_options_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace easel::ui {

namespace {

QComboBox* makeCombo(QWidget* parent, const char* name, int count)
{
    auto* combo = new QComboBox(parent);
    combo->setObjectName(QString::fromLatin1(name));
    for (int i = 0; i < count; ++i)
        combo->addItem(QString());   // texts come from retranslate(); the index is the enum value
    return combo;
}

void setTexts(QComboBox* combo, const QStringList& texts)
{
    for (int i = 0; i < texts.size(); ++i)
        combo->setItemText(i, texts[i]);
}

void setLabel(QFormLayout* form, QWidget* field, const QString& text)
{
    if (auto* label = qobject_cast<QLabel*>(form->labelForField(field)))
        label->setText(text);
}

} // namespace

InpaintOptionsPanel::InpaintOptionsPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("InpaintOptionsPanel"));
    m_form = new QFormLayout(this);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    // Defaults are A1111's img2img tab defaults.
    m_mode = makeCombo(this, "CanvasMode", 2);
    m_denoising = new QDoubleSpinBox(this);
    m_denoising->setObjectName(QStringLiteral("DenoisingStrength"));
    m_denoising->setRange(0.0, 1.0);
    m_denoising->setSingleStep(0.05);
    m_denoising->setDecimals(2);
    m_denoising->setValue(0.75);
    m_resizeMode = makeCombo(this, "ResizeMode", 3);
    m_maskBlur = new QSpinBox(this);
    m_maskBlur->setObjectName(QStringLiteral("MaskBlur"));
    m_maskBlur->setRange(0, 64);
    m_maskBlur->setValue(4);
    m_maskBlur->setSuffix(QStringLiteral(" px"));
    m_maskMode = makeCombo(this, "MaskMode", 2);
    m_maskedContent = makeCombo(this, "MaskedContent", 4);
    m_maskedContent->setCurrentIndex(static_cast<int>(api::MaskedContent::Original));
    m_area = makeCombo(this, "InpaintArea", 2);
    m_padding = new QSpinBox(this);
    m_padding->setObjectName(QStringLiteral("OnlyMaskedPadding"));
    m_padding->setRange(0, 256);
    m_padding->setSingleStep(4);
    m_padding->setValue(32);
    m_padding->setSuffix(QStringLiteral(" px"));

    for (QWidget* field : std::initializer_list<QWidget*>{m_mode, m_denoising, m_resizeMode, m_maskBlur, m_maskMode,
                                                          m_maskedContent, m_area, m_padding})
        m_form->addRow(new QLabel, field);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        Q_EMIT modeChanged(mode());
    });
    connect(m_area, &QComboBox::currentIndexChanged, this, &InpaintOptionsPanel::updateEnabled);
    for (QComboBox* combo : {m_mode, m_resizeMode, m_maskMode, m_maskedContent, m_area})
        connect(combo, &QComboBox::currentIndexChanged, this, &InpaintOptionsPanel::changed);
    for (QSpinBox* spin : {m_maskBlur, m_padding})
        connect(spin, &QSpinBox::valueChanged, this, &InpaintOptionsPanel::changed);
    connect(m_denoising, &QDoubleSpinBox::valueChanged, this, &InpaintOptionsPanel::changed);

    retranslate();
    updateEnabled();
}

CanvasMode InpaintOptionsPanel::mode() const { return static_cast<CanvasMode>(m_mode->currentIndex()); }

void InpaintOptionsPanel::setMode(CanvasMode mode) { m_mode->setCurrentIndex(static_cast<int>(mode)); }

double InpaintOptionsPanel::denoisingStrength() const { return m_denoising->value(); }

api::ResizeMode InpaintOptionsPanel::resizeMode() const
{
    return static_cast<api::ResizeMode>(m_resizeMode->currentIndex());
}

api::InpaintOptions InpaintOptionsPanel::inpaintOptions() const
{
    api::InpaintOptions options;
    options.maskBlur = m_maskBlur->value();
    options.maskMode = static_cast<api::MaskMode>(m_maskMode->currentIndex());
    options.maskedContent = static_cast<api::MaskedContent>(m_maskedContent->currentIndex());
    options.area = static_cast<api::InpaintArea>(m_area->currentIndex());
    options.onlyMaskedPadding = m_padding->value();
    return options;
}

void InpaintOptionsPanel::setFromRequest(const api::GenerationRequest& request)
{
    m_denoising->setValue(request.denoisingStrength);
    m_resizeMode->setCurrentIndex(static_cast<int>(request.resizeMode));
    if (request.inpaint) {
        const api::InpaintOptions& options = *request.inpaint;
        m_maskBlur->setValue(options.maskBlur);
        m_maskMode->setCurrentIndex(static_cast<int>(options.maskMode));
        m_maskedContent->setCurrentIndex(static_cast<int>(options.maskedContent));
        m_area->setCurrentIndex(static_cast<int>(options.area));
        m_padding->setValue(options.onlyMaskedPadding);
    }
    setMode(request.inpaint ? CanvasMode::Inpaint : CanvasMode::Img2Img);
}

void InpaintOptionsPanel::updateEnabled()
{
    const bool inpaint = mode() == CanvasMode::Inpaint;
    for (QWidget* field : std::initializer_list<QWidget*>{m_maskBlur, m_maskMode, m_maskedContent, m_area}) {
        field->setEnabled(inpaint);
        if (QWidget* label = m_form->labelForField(field))
            label->setEnabled(inpaint);
    }
    const bool padding = inpaint && m_area->currentIndex() == static_cast<int>(api::InpaintArea::OnlyMasked);
    m_padding->setEnabled(padding);
    if (QWidget* label = m_form->labelForField(m_padding))
        label->setEnabled(padding);
}

void InpaintOptionsPanel::retranslate()
{
    setLabel(m_form, m_mode, tr("Mode"));
    setTexts(m_mode, {tr("img2img"), tr("Inpaint")});
    m_mode->setToolTip(tr("img2img redraws the whole image; inpaint redraws where the mask is painted."));
    setLabel(m_form, m_denoising, tr("Denoising strength"));
    m_denoising->setToolTip(tr("How much may change: 0 keeps the image, 1 ignores it."));
    setLabel(m_form, m_resizeMode, tr("Resize mode"));
    setTexts(m_resizeMode, {tr("Just resize"), tr("Crop and resize"), tr("Resize and fill")});
    setLabel(m_form, m_maskBlur, tr("Mask blur"));
    setLabel(m_form, m_maskMode, tr("Mask mode"));
    setTexts(m_maskMode, {tr("Inpaint masked"), tr("Inpaint not masked")});
    setLabel(m_form, m_maskedContent, tr("Masked content"));
    setTexts(m_maskedContent, {tr("fill"), tr("original"), tr("latent noise"), tr("latent nothing")});
    setLabel(m_form, m_area, tr("Inpaint area"));
    setTexts(m_area, {tr("Whole picture"), tr("Only masked")});
    m_area->setToolTip(tr("Only masked: the masked region plus padding is upscaled to the generation size, "
                          "redrawn and pasted back."));
    setLabel(m_form, m_padding, tr("Only masked padding"));
}

void InpaintOptionsPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace easel::ui
