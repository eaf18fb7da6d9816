#pragma once
/// The gallery dock: a virtualised thumbnail grid over app::GalleryModel, a search box (prompt
/// words, FTS5), a favourites filter, a detail pane with every parameter of the selected image and
/// the actions reuse parameters, favourite, send to img2img/inpaint, reveal in the file manager and
/// delete (file to the trash, undoable). GUI thread.

#include <QString>
#include <QWidget>

#include <optional>

#include "app/gallery_store.h"
#include "ui/batch_export_dialog.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace easel::app {
class GalleryModel;
}

namespace easel::ui {

class GalleryPanel : public QWidget {
    Q_OBJECT
public:
    GalleryPanel(app::GalleryModel* model, QWidget* parent = nullptr);

    QListView* view() const { return m_view; }
    QLineEdit* searchBox() const { return m_search; }
    QCheckBox* favouritesOnlyBox() const { return m_favouritesOnly; }
    QPlainTextEdit* details() const { return m_details; }
    app::GalleryModel* model() const { return m_model; }

    /// Selects (and scrolls to) a row.
    void selectRow(int row);
    /// The current row (the one the detail pane shows), -1 when none.
    int selectedRow() const;
    /// Every selected row (Ctrl/Shift-click, Ctrl+A), ascending; the current row when none is.
    QList<int> selectedRows() const;
    /// Selects these rows (current = the first).
    void selectRows(const QList<int>& rows);

    /// Opens the batch export dialog for the selected images whose rows are loaded.
    void exportSelected();

    void reuseSelected();
    void toggleFavourite();
    void sendSelectedToCanvas();
    void revealSelected();
    /// Moves the selected image's file to the trash and removes its row (asynchronous: deleted()).
    void deleteSelected();
    /// Puts the last deleted image back (asynchronous: restored()).
    void undoDelete();
    bool canUndoDelete() const { return m_lastDeleted.has_value(); }

Q_SIGNALS:
    /// Apply this image's parameters: its file (for the infotext) and the catalog's copy of the
    /// request with the image's seed (when the file is gone).
    void reuseRequested(const QString& path, const QString& paramsJson, qint64 seed);
    void sendToCanvasRequested(const QString& imagePath);
    /// The export dialog was opened (tests drive it from here).
    void exportDialogOpened(easel::ui::BatchExportDialog* dialog);
    void deleted(qint64 imageId);
    void restored(qint64 newImageId);
    /// Something failed; the text says what to do (shown as a notice).
    void failed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void showDetails();
    void updateButtons();

    app::GalleryModel* m_model = nullptr;
    QLineEdit* m_search = nullptr;
    QCheckBox* m_favouritesOnly = nullptr;
    QTimer* m_searchTimer = nullptr;
    QListView* m_view = nullptr;
    QLabel* m_countLabel = nullptr;
    QPlainTextEdit* m_details = nullptr;
    QToolButton* m_reuse = nullptr;
    QToolButton* m_favourite = nullptr;
    QToolButton* m_send = nullptr;
    QToolButton* m_reveal = nullptr;
    QToolButton* m_delete = nullptr;
    QToolButton* m_undo = nullptr;
    QToolButton* m_export = nullptr;
    std::optional<app::DeletedGalleryImage> m_lastDeleted;
    bool m_busy = false;
    qint64 m_keepSelected = 0; ///< image id selected before a model reset
};

} // namespace easel::ui
