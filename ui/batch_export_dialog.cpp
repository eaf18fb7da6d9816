#include "ui/batch_export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/batch_exporter.h"

namespace easel::ui {

BatchExportDialog::BatchExportDialog(const QList<app::ExportSource>& sources, QWidget* parent)
    : QDialog(parent)
    , m_sources(sources)
{
    setObjectName(QStringLiteral("BatchExportDialog"));
    setModal(false);
    m_exporter = new app::BatchExporter(this);
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    layout->addWidget(m_summary);

    m_form = new QFormLayout;
    auto* folderRow = new QHBoxLayout;
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("ExportFolder"));
    m_folder->setText(QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                          .filePath(QStringLiteral("Easel export")));
    m_browse = new QToolButton(this);
    m_browse->setText(QStringLiteral("…"));
    connect(m_browse, &QToolButton::clicked, this, &BatchExportDialog::chooseFolder);
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);
    m_folderLabel = new QLabel(this);
    m_form->addRow(m_folderLabel, folderRow);

    m_template = new QLineEdit(app::ExportOptions{}.nameTemplate, this);
    m_template->setObjectName(QStringLiteral("ExportTemplate"));
    m_form->addRow(new QLabel, m_template);
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("ExportNamePreview"));
    m_form->addRow(new QLabel, m_preview);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("ExportFormat"));
    m_format->addItem(QStringLiteral("PNG"), int(app::ExportFormat::Png));
    m_format->addItem(QStringLiteral("JPEG"), int(app::ExportFormat::Jpeg));
    m_format->addItem(QStringLiteral("WebP"), int(app::ExportFormat::WebP));
    m_form->addRow(new QLabel, m_format);
    m_quality = new QSpinBox(this);
    m_quality->setObjectName(QStringLiteral("ExportQuality"));
    m_quality->setRange(1, 100);
    m_quality->setValue(95);
    m_form->addRow(new QLabel, m_quality);

    auto* resizeRow = new QHBoxLayout;
    m_resize = new QCheckBox(this);
    m_resize->setObjectName(QStringLiteral("ExportResize"));
    m_maxSide = new QSpinBox(this);
    m_maxSide->setObjectName(QStringLiteral("ExportMaxSide"));
    m_maxSide->setRange(16, 16384);
    m_maxSide->setValue(1024);
    m_maxSide->setSuffix(QStringLiteral(" px"));
    resizeRow->addWidget(m_resize);
    resizeRow->addWidget(m_maxSide, 1);
    m_form->addRow(new QLabel, resizeRow);

    m_metadata = new QCheckBox(this);
    m_metadata->setObjectName(QStringLiteral("ExportKeepMetadata"));
    m_metadata->setChecked(true);
    m_form->addRow(new QLabel, m_metadata);
    m_csv = new QCheckBox(this);
    m_csv->setObjectName(QStringLiteral("ExportCsv"));
    m_json = new QCheckBox(this);
    m_json->setObjectName(QStringLiteral("ExportJson"));
    auto* sidecarRow = new QHBoxLayout;
    sidecarRow->addWidget(m_csv);
    sidecarRow->addWidget(m_json);
    sidecarRow->addStretch(1);
    m_form->addRow(new QLabel, sidecarRow);
    layout->addLayout(m_form);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("ExportProgress"));
    m_progress->setRange(0, std::max<int>(1, m_sources.size()));
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("ExportStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_buttons = new QDialogButtonBox(this);
    m_export = m_buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("ExportStart"));
    m_cancel = m_buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("ExportCancel"));
    connect(m_export, &QPushButton::clicked, this, &BatchExportDialog::startExport);
    connect(m_cancel, &QPushButton::clicked, this, &BatchExportDialog::reject);
    layout->addWidget(m_buttons);

    for (QLineEdit* edit : {m_folder, m_template})
        connect(edit, &QLineEdit::textChanged, this, &BatchExportDialog::updateForm);
    connect(m_format, &QComboBox::currentIndexChanged, this, &BatchExportDialog::updateForm);
    connect(m_resize, &QCheckBox::toggled, this, &BatchExportDialog::updateForm);
    connect(m_maxSide, &QSpinBox::valueChanged, this, &BatchExportDialog::updateForm);
    connect(m_exporter, &app::BatchExporter::progress, this, [this](int done, int total) {
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(done);
        m_status->setText(tr("Exporting %1 of %2…").arg(std::min(done + 1, total)).arg(total));
    });
    connect(m_exporter, &app::BatchExporter::finished, this, &BatchExportDialog::onFinished);
    retranslate();
}

app::ExportOptions BatchExportDialog::options() const
{
    app::ExportOptions options;
    options.folder = m_folder->text().trimmed();
    options.nameTemplate = m_template->text();
    options.format = static_cast<app::ExportFormat>(m_format->currentData().toInt());
    options.quality = m_quality->value();
    options.maxSide = m_resize->isChecked() ? m_maxSide->value() : 0;
    options.keepMetadata = m_metadata->isChecked();
    options.writeCsv = m_csv->isChecked();
    options.writeJson = m_json->isChecked();
    return options;
}

void BatchExportDialog::setOptions(const app::ExportOptions& options)
{
    m_folder->setText(options.folder);
    m_template->setText(options.nameTemplate);
    m_format->setCurrentIndex(m_format->findData(int(options.format)));
    m_quality->setValue(options.quality);
    m_resize->setChecked(options.maxSide > 0);
    if (options.maxSide > 0)
        m_maxSide->setValue(options.maxSide);
    m_metadata->setChecked(options.keepMetadata);
    m_csv->setChecked(options.writeCsv);
    m_json->setChecked(options.writeJson);
    updateForm();
}

bool BatchExportDialog::isExporting() const { return m_exporter->isRunning(); }

void BatchExportDialog::startExport()
{
    if (isExporting() || m_sources.isEmpty() || m_folder->text().trimmed().isEmpty())
        return;
    m_result = {};
    m_progress->setValue(0);
    m_exporter->start(m_sources, options());
    updateForm();
}

void BatchExportDialog::onFinished(const app::ExportResult& result)
{
    m_result = result;
    m_progress->setValue(result.cancelled ? m_progress->value() : m_progress->maximum());
    QStringList lines;
    lines << (result.cancelled ? tr("Cancelled: %n image(s) exported.", nullptr, result.images.size())
                               : tr("%n image(s) exported.", nullptr, result.images.size()));
    int renamed = 0;
    for (const app::ExportedImage& image : result.images)
        renamed += image.renamed ? 1 : 0;
    if (renamed > 0)
        lines << tr("%n name(s) were taken; a number was added instead of overwriting.", nullptr, renamed);
    if (!result.errors.isEmpty())
        lines << tr("Not exported: %1").arg(result.errors.join(QStringLiteral("; ")));
    m_status->setText(lines.join(QLatin1Char('\n')));
    updateForm();
    Q_EMIT exportFinished(result);
}

void BatchExportDialog::reject()
{
    if (isExporting()) {
        m_exporter->cancel(); // finished() follows after the image being written
        m_status->setText(tr("Cancelling…"));
        return;
    }
    QDialog::reject();
}

void BatchExportDialog::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export to"), m_folder->text());
    if (!folder.isEmpty())
        m_folder->setText(folder);
}

void BatchExportDialog::updateForm()
{
    const bool busy = isExporting();
    const app::ExportFormat format = static_cast<app::ExportFormat>(m_format->currentData().toInt());
    m_quality->setEnabled(!busy && format != app::ExportFormat::Png); // PNG is lossless
    m_maxSide->setEnabled(!busy && m_resize->isChecked());
    for (QWidget* widget : std::initializer_list<QWidget*>{m_folder, m_browse, m_template, m_format, m_resize,
                                                           m_metadata, m_csv, m_json})
        widget->setEnabled(!busy);
    m_export->setEnabled(!busy && !m_sources.isEmpty() && !m_folder->text().trimmed().isEmpty());
    m_cancel->setText(busy ? tr("Cancel") : tr("Close"));
    if (!m_sources.isEmpty())
        m_preview->setText(tr("First file: %1")
                               .arg(app::exportFileName(m_template->text(), m_sources.first(), 0, m_sources.size(), 0,
                                                        0, app::exportExtension(format))));
}

void BatchExportDialog::retranslate()
{
    setWindowTitle(tr("Export images"));
    m_summary->setText(tr("Export %n selected image(s).", nullptr, m_sources.size()));
    m_folderLabel->setText(tr("Folder:"));
    auto setLabel = [this](QWidget* field, const QString& text) {
        if (QWidget* label = m_form->labelForField(field))
            label->setProperty("text", text);
    };
    setLabel(m_template, tr("File names:"));
    m_template->setToolTip(tr("Placeholders: {date} {time} {seed} {model} {index} {prompt} {width} {height} {name}"));
    setLabel(m_format, tr("Format:"));
    setLabel(m_quality, tr("Quality:"));
    m_quality->setToolTip(tr("JPEG and WebP quality (PNG is lossless)"));
    m_resize->setText(tr("Shrink to a longest side of"));
    m_metadata->setText(tr("Keep the generation parameters in the files"));
    m_metadata->setToolTip(tr("PNG text chunk or EXIF UserComment, as A1111 writes them; off strips them"));
    m_csv->setText(tr("CSV sidecar"));
    m_json->setText(tr("JSON sidecar"));
    m_browse->setToolTip(tr("Choose the folder"));
    m_export->setText(tr("Export"));
    updateForm();
}

void BatchExportDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace easel::ui
