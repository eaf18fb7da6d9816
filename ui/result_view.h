#pragma once
/// The central result area: the current image large (ImageView: zoom, pan), the batch as
/// thumbnails beneath, the live preview while sampling, and the actions on the current image
/// (use seed, copy parameters, open folder, send to img2img/inpaint). GUI thread.

#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

#include <optional>

class QListWidget;
class QToolButton;

namespace easel::ui {

class ImageView;

class ResultView : public QWidget {
    Q_OBJECT
public:
    explicit ResultView(QWidget* parent = nullptr);

    /// A preview of the running job (the batch strip stays as it was).
    void showPreview(const QImage& preview);
    /// The images of a finished job; the first becomes current.
    void showResults(const QStringList& paths, const QList<QImage>& images, const QStringList& infotexts);
    /// Back to the current result after a cancelled preview.
    void clearPreview();

    int count() const { return m_paths.size(); }
    int currentIndex() const { return m_current; }
    void setCurrentIndex(int index);
    QString currentPath() const;
    QString currentInfotext() const;
    /// The seed the current image's infotext records.
    std::optional<qint64> currentSeed() const;
    bool isShowingPreview() const { return m_showingPreview; }

    ImageView* imageView() const { return m_view; }
    QListWidget* thumbnails() const { return m_thumbnails; }
    void setPlaceholderText(const QString& text);

    void useSeed();          ///< emits useSeedRequested with the current seed
    void copyParameters();   ///< the current infotext to the clipboard
    void openFolder();       ///< the current file's folder in the file manager
    void sendToCanvas();     ///< emits sendToCanvasRequested with the current path

Q_SIGNALS:
    void useSeedRequested(qint64 seed);
    void sendToCanvasRequested(const QString& imagePath);
    void currentChanged(int index);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateActions();

    ImageView* m_view = nullptr;
    QListWidget* m_thumbnails = nullptr;
    QToolButton* m_useSeed = nullptr;
    QToolButton* m_copy = nullptr;
    QToolButton* m_openFolder = nullptr;
    QToolButton* m_sendToCanvas = nullptr;
    QStringList m_paths;
    QList<QImage> m_images;
    QStringList m_infotexts;
    int m_current = -1;
    bool m_showingPreview = false;
};

} // namespace easel::ui
