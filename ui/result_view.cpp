#include "ui/result_view.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QEvent>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QListWidget>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include "app/gallery_store.h"
#include "ui/image_view.h"

namespace easel::ui {

namespace {
constexpr int kThumbnailSize = 72;
}

ResultView::ResultView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("ResultView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view = new ImageView(this);
    layout->addWidget(m_view, 1);

    auto* bottom = new QHBoxLayout;
    m_thumbnails = new QListWidget(this);
    m_thumbnails->setObjectName(QStringLiteral("ResultThumbnails"));
    m_thumbnails->setViewMode(QListView::IconMode);
    m_thumbnails->setFlow(QListView::LeftToRight);
    m_thumbnails->setWrapping(false);
    m_thumbnails->setMovement(QListView::Static);
    m_thumbnails->setIconSize(QSize(kThumbnailSize, kThumbnailSize));
    m_thumbnails->setUniformItemSizes(true);
    m_thumbnails->setFixedHeight(kThumbnailSize + 28);
    connect(m_thumbnails, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != m_current)
            setCurrentIndex(row);
    });
    bottom->addWidget(m_thumbnails, 1);

    auto makeButton = [this, bottom](const char* name, void (ResultView::*slot)()) {
        auto* button = new QToolButton(this);
        button->setObjectName(QString::fromLatin1(name));
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        connect(button, &QToolButton::clicked, this, slot);
        bottom->addWidget(button);
        return button;
    };
    m_useSeed = makeButton("UseSeedButton", &ResultView::useSeed);
    m_copy = makeButton("CopyParametersButton", &ResultView::copyParameters);
    m_openFolder = makeButton("OpenFolderButton", &ResultView::openFolder);
    m_sendToCanvas = makeButton("SendToCanvasButton", &ResultView::sendToCanvas);
    layout->addLayout(bottom);
    retranslate();
    updateActions();
}

void ResultView::retranslate()
{
    m_useSeed->setText(tr("Use seed"));
    m_useSeed->setToolTip(tr("Put this image's seed into the parameters"));
    m_copy->setText(tr("Copy parameters"));
    m_copy->setToolTip(tr("Copy the A1111 parameters text of this image"));
    m_openFolder->setText(tr("Open folder"));
    m_openFolder->setToolTip(tr("Show the folder of this image in the file manager"));
    m_sendToCanvas->setText(tr("Send to img2img/inpaint"));
    m_sendToCanvas->setToolTip(tr("Load this image into the canvas"));
}

void ResultView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ResultView::setPlaceholderText(const QString& text) { m_view->setPlaceholderText(text); }

void ResultView::showPreview(const QImage& preview)
{
    if (preview.isNull())
        return;
    m_showingPreview = true;
    m_view->setImage(preview);
}

void ResultView::clearPreview()
{
    if (!m_showingPreview)
        return;
    m_showingPreview = false;
    m_view->setImage(m_current >= 0 ? m_images.value(m_current) : QImage());
}

void ResultView::showResults(const QStringList& paths, const QList<QImage>& images, const QStringList& infotexts)
{
    m_paths = paths;
    m_images = images;
    m_infotexts = infotexts;
    m_showingPreview = false;
    m_current = -1;
    m_thumbnails->clear();
    for (int i = 0; i < m_images.size(); ++i) {
        const QImage thumb = m_images[i].scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(thumb)), QString(), m_thumbnails);
        item->setToolTip(QFileInfo(m_paths.value(i)).fileName());
    }
    // One image needs no strip.
    m_thumbnails->setVisible(m_images.size() > 1);
    setCurrentIndex(m_images.isEmpty() ? -1 : 0);
}

void ResultView::setCurrentIndex(int index)
{
    if (index < -1 || index >= m_images.size())
        return;
    m_current = index;
    m_showingPreview = false;
    m_view->setImage(index >= 0 ? m_images[index] : QImage());
    if (m_thumbnails->currentRow() != index)
        m_thumbnails->setCurrentRow(index);
    updateActions();
    Q_EMIT currentChanged(index);
}

QString ResultView::currentPath() const { return m_current >= 0 ? m_paths.value(m_current) : QString(); }
QString ResultView::currentInfotext() const { return m_current >= 0 ? m_infotexts.value(m_current) : QString(); }

std::optional<qint64> ResultView::currentSeed() const
{
    const QString text = currentInfotext();
    return text.isEmpty() ? std::nullopt : app::seedFromInfotext(text);
}

void ResultView::updateActions()
{
    const bool has = m_current >= 0;
    m_useSeed->setEnabled(has && currentSeed().has_value());
    m_copy->setEnabled(has && !currentInfotext().isEmpty());
    m_openFolder->setEnabled(has && !currentPath().isEmpty());
    m_sendToCanvas->setEnabled(has && !currentPath().isEmpty());
}

void ResultView::useSeed()
{
    if (const auto seed = currentSeed())
        Q_EMIT useSeedRequested(*seed);
}

void ResultView::copyParameters()
{
    const QString text = currentInfotext();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void ResultView::openFolder()
{
    const QString path = currentPath();
    if (!path.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
}

void ResultView::sendToCanvas()
{
    const QString path = currentPath();
    if (!path.isEmpty())
        Q_EMIT sendToCanvasRequested(path);
}

} // namespace easel::ui
