#pragma once
/// The LoRA mix under the card grid: one row per LoRA with an on/off box (off keeps it in the mix),
/// a weight slider and spin box, or separate text-encoder and UNet weights when split, and a remove
/// button; "Insert trigger words" puts the enabled LoRAs' trigger words into the prompt. Edits go
/// to app::LoRAMix. GUI thread.

#include <QString>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QPushButton;
class QSlider;
class QToolButton;
class QVBoxLayout;
class QLabel;

namespace easel::app {
class LoRAMix;
}

namespace easel::ui {

class LoRAMixWidget : public QWidget {
    Q_OBJECT
public:
    explicit LoRAMixWidget(app::LoRAMix* mix, QWidget* parent = nullptr);

    /// Separate text-encoder / UNet weights shown (A1111 `<lora:name:te=…:unet=…>`).
    void setSplitWeights(bool on);
    bool splitWeights() const;
    QCheckBox* splitBox() const { return m_split; }
    QPushButton* insertTriggerWordsButton() const { return m_insertTriggers; }

    /// Widgets of row `i` (tests and keyboard users).
    QCheckBox* enabledBox(int i) const;
    QDoubleSpinBox* weightBox(int i) const;
    QSlider* weightSlider(int i) const;
    QDoubleSpinBox* textEncoderBox(int i) const;
    QDoubleSpinBox* unetBox(int i) const;
    QToolButton* removeButton(int i) const;

    /// Trigger words of the enabled LoRAs, ", "-joined ("" when none has any).
    QString enabledTriggerWords() const;

Q_SIGNALS:
    void insertTextRequested(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Row {
        QWidget* widget = nullptr;
        QCheckBox* enabled = nullptr;
        QSlider* slider = nullptr;
        QDoubleSpinBox* weight = nullptr;
        QWidget* splitRow = nullptr;
        QDoubleSpinBox* te = nullptr;
        QDoubleSpinBox* unet = nullptr;
        QToolButton* remove = nullptr;
        QLabel* teLabel = nullptr;
        QLabel* unetLabel = nullptr;
    };
    void rebuild();
    void updateRow(int i);
    void retranslate();

    app::LoRAMix* m_mix;
    QVBoxLayout* m_rowsLayout = nullptr;
    QVector<Row> m_rows;
    QCheckBox* m_split = nullptr;
    QPushButton* m_insertTriggers = nullptr;
    QLabel* m_empty = nullptr;
};

} // namespace easel::ui
