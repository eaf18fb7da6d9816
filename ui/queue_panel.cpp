#include "ui/queue_panel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/engine_controller.h"
#include "app/job_queue_model.h"

namespace easel::ui {

QueuePanel::QueuePanel(app::EngineController& engine, QWidget* parent)
    : QWidget(parent)
    , m_engine(engine)
{
    setObjectName(QStringLiteral("QueuePanel"));
    auto* layout = new QVBoxLayout(this);
    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("QueueView"));
    m_view->setModel(engine.queue());
    m_view->setWordWrap(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_view, 1);

    auto* buttons = new QHBoxLayout;
    auto makeButton = [this, buttons](const char* name, auto slot) {
        auto* button = new QToolButton(this);
        button->setObjectName(QString::fromLatin1(name));
        connect(button, &QToolButton::clicked, this, slot);
        buttons->addWidget(button);
        return button;
    };
    m_remove = makeButton("QueueRemoveButton", [this] { removeSelected(); });
    m_up = makeButton("QueueUpButton", [this] { moveSelected(-1); });
    m_down = makeButton("QueueDownButton", [this] { moveSelected(+1); });
    m_clear = makeButton("QueueClearFinishedButton", [this] { clearFinished(); });
    m_cancelAll = makeButton("QueueCancelAllButton", [this] { m_engine.cancelAll(); });
    buttons->addStretch(1);
    layout->addLayout(buttons);

    auto* model = engine.queue();
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &QueuePanel::updateButtons);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &QueuePanel::updateButtons);
    connect(model, &QAbstractItemModel::rowsMoved, this, &QueuePanel::updateButtons);
    connect(model, &QAbstractItemModel::dataChanged, this, &QueuePanel::updateButtons);
    retranslate();
    updateButtons();
}

void QueuePanel::retranslate()
{
    m_remove->setText(tr("Remove"));
    m_remove->setToolTip(tr("Remove the selected job (a running job is cancelled)"));
    m_up->setText(tr("Up"));
    m_up->setToolTip(tr("Run the selected job earlier"));
    m_down->setText(tr("Down"));
    m_down->setToolTip(tr("Run the selected job later"));
    m_clear->setText(tr("Clear finished"));
    m_clear->setToolTip(tr("Remove done, failed and cancelled jobs from the list"));
    m_cancelAll->setText(tr("Cancel all"));
    m_cancelAll->setToolTip(tr("Cancel the running job and every queued one"));
}

void QueuePanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

int QueuePanel::selectedJob() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(app::JobQueueModel::IdRole).toInt() : 0;
}

void QueuePanel::selectJob(int id)
{
    const int row = m_engine.queue()->rowOf(id);
    m_view->setCurrentIndex(row >= 0 ? m_engine.queue()->index(row) : QModelIndex());
}

void QueuePanel::removeSelected()
{
    const int id = selectedJob();
    if (!id)
        return;
    if (id == m_engine.runningJob())
        m_engine.cancelCurrent();
    else
        m_engine.removeJob(id);
}

void QueuePanel::moveSelected(int delta)
{
    const int id = selectedJob();
    const int row = m_engine.queue()->rowOf(id);
    if (id && row >= 0 && m_engine.moveJob(id, row + delta))
        selectJob(id);
}

void QueuePanel::clearFinished() { m_engine.queue()->clearFinished(); }

void QueuePanel::updateButtons()
{
    const int row = m_view->currentIndex().row();
    const int rows = m_engine.queue()->rowCount();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < rows);
    bool finished = false, active = false;
    for (const app::Job& job : m_engine.queue()->jobs()) {
        const bool running = job.state == app::JobState::Queued || job.state == app::JobState::Running;
        active |= running;
        finished |= !running;
    }
    m_clear->setEnabled(finished);
    m_cancelAll->setEnabled(active);
}

} // namespace easel::ui
