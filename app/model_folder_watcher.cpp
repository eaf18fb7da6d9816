#include "app/model_folder_watcher.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QFileSystemWatcher>

namespace easel::app {

ModelFolderWatcher::ModelFolderWatcher(QObject* parent)
    : QObject(parent)
    , m_watcher(new QFileSystemWatcher(this))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(1500);
    connect(&m_debounce, &QTimer::timeout, this, &ModelFolderWatcher::folderContentChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &ModelFolderWatcher::onDirectoryChanged);
}

void ModelFolderWatcher::setFolders(const QStringList& roots)
{
    const QStringList old = m_watcher->directories();
    if (!old.isEmpty())
        m_watcher->removePaths(old);
    m_roots = roots;
    for (const QString& root : roots)
        watchTree(root);
}

QStringList ModelFolderWatcher::watchedFolders() const { return m_watcher->directories(); }

void ModelFolderWatcher::watchTree(const QString& root)
{
    if (!QFileInfo(root).isDir())
        return;
    // Directory-only listing: cheap even for folders holding thousands of model files.
    QStringList dirs{root};
    QDirIterator it(root, QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDirIterator::Subdirectories);
    const QStringList already = m_watcher->directories();
    while (it.hasNext() && already.size() + dirs.size() < kMaxWatchedFolders)
        dirs << it.next();
    QStringList fresh;
    for (const QString& d : dirs)
        if (!already.contains(d))
            fresh << d;
    if (!fresh.isEmpty())
        m_watcher->addPaths(fresh);
}

void ModelFolderWatcher::onDirectoryChanged(const QString& path)
{
    // A new sub-folder (a LoRA pack unpacked into the folder) is watched from now on.
    if (QFileInfo(path).isDir())
        watchTree(path);
    m_debounce.start();
}

} // namespace easel::app
