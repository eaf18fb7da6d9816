#include "ui/png_info_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace easel::ui {

PngInfoDialog::PngInfoDialog(QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("PngInfoDialog"));
    setModal(false);
    resize(640, 560);
    auto* layout = new QVBoxLayout(this);
    m_file = new QLabel(this);
    m_file->setObjectName(QStringLiteral("PngInfoFile"));
    m_file->setWordWrap(true);
    m_file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_file);

    auto makeText = [this, layout](QLabel*& label, const char* name) {
        label = new QLabel(this);
        auto* edit = new QPlainTextEdit(this);
        edit->setObjectName(QString::fromLatin1(name));
        edit->setReadOnly(true); // selectable and copyable, like A1111's PNG Info tab
        label->setBuddy(edit);
        layout->addWidget(label);
        layout->addWidget(edit, 1);
        return edit;
    };
    m_prompt = makeText(m_promptLabel, "PngInfoPrompt");
    m_negative = makeText(m_negativeLabel, "PngInfoNegativePrompt");

    m_fieldsLabel = new QLabel(this);
    layout->addWidget(m_fieldsLabel);
    m_fields = new QTableWidget(0, 2, this);
    m_fields->setObjectName(QStringLiteral("PngInfoFields"));
    m_fields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fields->verticalHeader()->hide();
    m_fields->horizontalHeader()->setStretchLastSection(true);
    m_fields->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_fields, 2);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_apply = m_buttons->addButton(QString(), QDialogButtonBox::ApplyRole);
    m_apply->setObjectName(QStringLiteral("PngInfoApply"));
    m_apply->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        if (m_parameters.ok)
            Q_EMIT applyRequested(m_path, m_parameters.request);
    });
    layout->addWidget(m_buttons);
    retranslate();
}

void PngInfoDialog::setParameters(const QString& path, const ImageParameters& parameters)
{
    m_path = path;
    m_parameters = parameters;
    m_file->setText(parameters.ok ? QDir::toNativeSeparators(path) : parameters.error);
    m_prompt->setPlainText(QString::fromStdString(parameters.request.prompt));
    m_negative->setPlainText(QString::fromStdString(parameters.request.negativePrompt));
    if (!parameters.ok) {
        m_prompt->clear();
        m_negative->clear();
    }
    m_fields->setRowCount(0);
    for (const auto& [key, value] : parameters.fields) {
        const int row = m_fields->rowCount();
        m_fields->insertRow(row);
        m_fields->setItem(row, 0, new QTableWidgetItem(key));
        m_fields->setItem(row, 1, new QTableWidgetItem(value));
    }
    m_fields->resizeColumnToContents(0);
    m_apply->setEnabled(parameters.ok);
    retranslate();
}

void PngInfoDialog::retranslate()
{
    setWindowTitle(m_path.isEmpty() ? tr("PNG Info") : tr("PNG Info — %1").arg(QFileInfo(m_path).fileName()));
    m_promptLabel->setText(tr("&Prompt"));
    m_negativeLabel->setText(tr("&Negative prompt"));
    m_fieldsLabel->setText(tr("Parameters"));
    m_fields->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_apply->setText(tr("&Apply to the parameters"));
    m_apply->setToolTip(tr("Put this image's prompts and parameters into the prompt boxes and the parameters panel"));
}

void PngInfoDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace easel::ui
