#include "ui/lora_mix_widget.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "app/lora_mix.h"

namespace easel::ui {

namespace {

// The slider covers the usual range in steps of 0.05; the spin box allows the rest (A1111 takes any).
constexpr int kSliderScale = 20;
constexpr double kSliderMin = -1.0, kSliderMax = 2.0;

QDoubleSpinBox* weightSpin(QWidget* parent)
{
    auto* spin = new QDoubleSpinBox(parent);
    spin->setRange(-10.0, 10.0);
    spin->setSingleStep(0.05);
    spin->setDecimals(2);
    return spin;
}

} // namespace

LoRAMixWidget::LoRAMixWidget(app::LoRAMix* mix, QWidget* parent)
    : QWidget(parent)
    , m_mix(mix)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_split = new QCheckBox(this);
    m_split->setObjectName(QStringLiteral("LoRASplitWeights"));
    m_insertTriggers = new QPushButton(this);
    m_insertTriggers->setObjectName(QStringLiteral("LoRAInsertTriggers"));
    top->addWidget(m_split);
    top->addStretch(1);
    top->addWidget(m_insertTriggers);
    layout->addLayout(top);
    m_empty = new QLabel(this);
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty);
    m_rowsLayout = new QVBoxLayout;
    m_rowsLayout->setSpacing(2);
    layout->addLayout(m_rowsLayout);
    layout->addStretch(1);

    connect(m_split, &QCheckBox::toggled, this, &LoRAMixWidget::setSplitWeights);
    connect(m_insertTriggers, &QPushButton::clicked, this, [this] {
        const QString words = enabledTriggerWords();
        if (!words.isEmpty())
            Q_EMIT insertTextRequested(words);
    });
    connect(m_mix, &app::LoRAMix::entriesChanged, this, &LoRAMixWidget::rebuild);
    connect(m_mix, &app::LoRAMix::entryChanged, this, &LoRAMixWidget::updateRow);
    retranslate();
    rebuild();
}

void LoRAMixWidget::setSplitWeights(bool on)
{
    {
        const QSignalBlocker block(m_split);
        m_split->setChecked(on);
    }
    for (int i = 0; i < m_rows.size(); ++i)
        updateRow(i);
}

bool LoRAMixWidget::splitWeights() const { return m_split->isChecked(); }

QCheckBox* LoRAMixWidget::enabledBox(int i) const { return i < m_rows.size() ? m_rows[i].enabled : nullptr; }
QDoubleSpinBox* LoRAMixWidget::weightBox(int i) const { return i < m_rows.size() ? m_rows[i].weight : nullptr; }
QSlider* LoRAMixWidget::weightSlider(int i) const { return i < m_rows.size() ? m_rows[i].slider : nullptr; }
QDoubleSpinBox* LoRAMixWidget::textEncoderBox(int i) const { return i < m_rows.size() ? m_rows[i].te : nullptr; }
QDoubleSpinBox* LoRAMixWidget::unetBox(int i) const { return i < m_rows.size() ? m_rows[i].unet : nullptr; }
QToolButton* LoRAMixWidget::removeButton(int i) const { return i < m_rows.size() ? m_rows[i].remove : nullptr; }

QString LoRAMixWidget::enabledTriggerWords() const
{
    QStringList words;
    for (const app::LoRAMixEntry& e : m_mix->entries())
        if (e.enabled && !e.triggerWords.trimmed().isEmpty())
            words << e.triggerWords.trimmed();
    return words.join(QStringLiteral(", "));
}

void LoRAMixWidget::rebuild()
{
    // Later, not now: the remove button that triggered this may still be emitting.
    for (const Row& row : m_rows) {
        m_rowsLayout->removeWidget(row.widget);
        row.widget->hide();
        row.widget->deleteLater();
    }
    m_rows.clear();
    for (int i = 0; i < m_mix->size(); ++i) {
        const app::LoRAMixEntry& e = m_mix->entries()[i];
        Row row;
        row.widget = new QWidget(this);
        auto* v = new QVBoxLayout(row.widget);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(1);
        auto* line = new QHBoxLayout;
        row.enabled = new QCheckBox(e.family.isEmpty() ? e.name : QStringLiteral("%1  [%2]").arg(e.name, e.family),
                                    row.widget);
        row.enabled->setToolTip(e.triggerWords);
        row.slider = new QSlider(Qt::Horizontal, row.widget);
        row.slider->setRange(static_cast<int>(kSliderMin * kSliderScale), static_cast<int>(kSliderMax * kSliderScale));
        row.weight = weightSpin(row.widget);
        row.remove = new QToolButton(row.widget);
        row.remove->setText(QStringLiteral("\u2715"));
        line->addWidget(row.enabled, 1);
        line->addWidget(row.slider, 1);
        line->addWidget(row.weight);
        line->addWidget(row.remove);
        v->addLayout(line);
        row.splitRow = new QWidget(row.widget);
        auto* split = new QHBoxLayout(row.splitRow);
        split->setContentsMargins(16, 0, 0, 0);
        row.teLabel = new QLabel(row.splitRow);
        row.te = weightSpin(row.splitRow);
        row.unetLabel = new QLabel(row.splitRow);
        row.unet = weightSpin(row.splitRow);
        split->addWidget(row.teLabel);
        split->addWidget(row.te);
        split->addWidget(row.unetLabel);
        split->addWidget(row.unet);
        split->addStretch(1);
        v->addWidget(row.splitRow);
        m_rowsLayout->addWidget(row.widget);

        // Rows are rebuilt when entries come or go, so the index captured here stays right.
        connect(row.enabled, &QCheckBox::toggled, this, [this, i](bool on) { m_mix->setEnabled(i, on); });
        connect(row.slider, &QSlider::valueChanged, this,
                [this, i](int v) { m_mix->setWeight(i, static_cast<double>(v) / kSliderScale); });
        connect(row.weight, &QDoubleSpinBox::valueChanged, this, [this, i](double v) { m_mix->setWeight(i, v); });
        connect(row.te, &QDoubleSpinBox::valueChanged, this, [this, i](double v) { m_mix->setTextEncoderWeight(i, v); });
        connect(row.unet, &QDoubleSpinBox::valueChanged, this, [this, i](double v) { m_mix->setUNetWeight(i, v); });
        connect(row.remove, &QToolButton::clicked, this, [this, i] { m_mix->remove(i); });
        m_rows.push_back(row);
        updateRow(i);
    }
    retranslate();
}

void LoRAMixWidget::updateRow(int i)
{
    if (i < 0 || i >= m_rows.size() || i >= m_mix->size())
        return;
    const app::LoRAMixEntry& e = m_mix->entries()[i];
    const Row& row = m_rows[i];
    const QSignalBlocker b1(row.enabled), b2(row.slider), b3(row.weight), b4(row.te), b5(row.unet);
    row.enabled->setChecked(e.enabled);
    row.weight->setValue(e.unetWeight);
    row.slider->setValue(static_cast<int>(std::lround(std::clamp(e.unetWeight, kSliderMin, kSliderMax) * kSliderScale)));
    row.te->setValue(e.textEncoderWeight);
    row.unet->setValue(e.unetWeight);
    const bool split = m_split->isChecked();
    row.splitRow->setVisible(split);
    row.slider->setVisible(!split);
    row.weight->setVisible(!split);
    for (QWidget* w : {static_cast<QWidget*>(row.slider), static_cast<QWidget*>(row.weight), static_cast<QWidget*>(row.te),
                       static_cast<QWidget*>(row.unet)})
        w->setEnabled(e.enabled);
}

void LoRAMixWidget::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LoRAMixWidget::retranslate()
{
    m_split->setText(tr("Separate text encoder / UNet weights"));
    m_insertTriggers->setText(tr("Insert trigger words"));
    m_insertTriggers->setToolTip(tr("Adds the trigger words of the enabled LoRAs to the prompt"));
    m_empty->setText(tr("Click a LoRA above to add it to the mix."));
    m_empty->setVisible(m_rows.isEmpty());
    for (const Row& row : m_rows) {
        row.teLabel->setText(tr("Text encoder"));
        row.unetLabel->setText(tr("UNet"));
        row.remove->setToolTip(tr("Remove from the mix"));
        row.slider->setToolTip(tr("Weight"));
    }
}

} // namespace easel::ui
