#pragma once
/// The queue dock: every generation job with its state (queued, running with step k/n and ETA,
/// done, failed with the reason, cancelled), and remove / move up / move down / clear finished /
/// cancel all. A view over EngineController::queue(). GUI thread.

#include <QWidget>

class QListView;
class QToolButton;

namespace easel::app {
class EngineController;
}

namespace easel::ui {

class QueuePanel : public QWidget {
    Q_OBJECT
public:
    explicit QueuePanel(app::EngineController& engine, QWidget* parent = nullptr);

    QListView* view() const { return m_view; }
    /// Id of the selected job, 0 when none.
    int selectedJob() const;
    void selectJob(int id);

    void removeSelected();   ///< a queued/finished job is removed; the running one is cancelled
    void moveSelected(int delta);
    void clearFinished();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateButtons();

    app::EngineController& m_engine;
    QListView* m_view = nullptr;
    QToolButton* m_remove = nullptr;
    QToolButton* m_up = nullptr;
    QToolButton* m_down = nullptr;
    QToolButton* m_clear = nullptr;
    QToolButton* m_cancelAll = nullptr;
};

} // namespace easel::ui
