#pragma once
/// PNG Info: the A1111 parameters of an image file (PNG/JPEG/WebP from A1111, civitai or Easel) —
/// prompt, negative prompt and every field of the parameter line — with "Apply", which hands the
/// parsed request to whoever shows the dialog. Non-modal: the studio stays usable while it is open.
/// GUI thread.

#include <QDialog>

#include "ui/image_parameters.h"

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace easel::ui {

class PngInfoDialog : public QDialog {
    Q_OBJECT
public:
    explicit PngInfoDialog(QWidget* parent = nullptr);

    /// Shows what was read from `path` (an unreadable file shows its error and disables Apply).
    void setParameters(const QString& path, const ImageParameters& parameters);
    QString path() const { return m_path; }
    const ImageParameters& parameters() const { return m_parameters; }

    QPlainTextEdit* promptView() const { return m_prompt; }
    QPlainTextEdit* negativePromptView() const { return m_negative; }
    QTableWidget* fieldsTable() const { return m_fields; }
    QPushButton* applyButton() const { return m_apply; }

Q_SIGNALS:
    /// The user pressed Apply.
    void applyRequested(const QString& path, const api::GenerationRequest& request);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    QString m_path;
    ImageParameters m_parameters;
    QLabel* m_file = nullptr;
    QLabel* m_promptLabel = nullptr;
    QLabel* m_negativeLabel = nullptr;
    QLabel* m_fieldsLabel = nullptr;
    QPlainTextEdit* m_prompt = nullptr;
    QPlainTextEdit* m_negative = nullptr;
    QTableWidget* m_fields = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_apply = nullptr;
};

} // namespace easel::ui
