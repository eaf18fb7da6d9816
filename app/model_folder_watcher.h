#pragma once
/// Watches the configured model folders (and their sub-folders) while the studio runs and says,
/// debounced, when something was added, changed, renamed or removed there, so the owner starts the
/// incremental rescan off the GUI thread. Copying a 2 GB checkpoint fires many events: only the
/// quiet period after the last one triggers. GUI thread.

#include <QObject>
#include <QStringList>
#include <QTimer>

class QFileSystemWatcher;

namespace easel::app {

class ModelFolderWatcher : public QObject {
    Q_OBJECT
public:
    /// Sub-folders watched at most (inotify watches are a per-user system limit).
    static constexpr int kMaxWatchedFolders = 2000;

    explicit ModelFolderWatcher(QObject* parent = nullptr);

    /// Replaces the watched roots; their sub-folders are watched too (new ones as they appear).
    void setFolders(const QStringList& roots);
    QStringList folders() const { return m_roots; }
    /// Every folder watched now (roots and sub-folders).
    QStringList watchedFolders() const;
    /// Quiet time after the last event before folderContentChanged (default 1500 ms).
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }

Q_SIGNALS:
    /// Something changed in a watched folder and has been quiet for the debounce time.
    void folderContentChanged();

private:
    void onDirectoryChanged(const QString& path);
    void watchTree(const QString& root);

    QFileSystemWatcher* m_watcher = nullptr;
    QStringList m_roots;
    QTimer m_debounce;
};

} // namespace easel::app
