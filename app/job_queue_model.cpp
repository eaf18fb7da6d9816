#include "app/job_queue_model.h"

namespace easel::app {

QString jobStateName(JobState state) { return QString::fromLatin1(service::jobStateName(state)); }

JobQueueModel::JobQueueModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

int JobQueueModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_jobs.size(); }

QVariant JobQueueModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= m_jobs.size())
        return {};
    const Job& j = m_jobs.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        QString status;
        switch (j.state) {
        case JobState::Queued: status = tr("queued"); break;
        case JobState::Running:
            status = j.totalSteps > 0 ? tr("%1 %2/%3, %4 s left").arg(j.stage).arg(j.step).arg(j.totalSteps).arg(qRound(j.etaSeconds))
                                      : j.stage;
            break;
        case JobState::Done: status = tr("done"); break;
        case JobState::Failed: status = tr("failed: %1").arg(j.error); break;
        case JobState::Cancelled: status = tr("cancelled"); break;
        }
        return QStringLiteral("%1 — %2").arg(j.title, status);
    }
    case Qt::ToolTipRole: return QString::fromStdString(j.request.prompt);
    case IdRole: return j.id;
    case StateRole: return static_cast<int>(j.state);
    case StepRole: return j.step;
    case TotalStepsRole: return j.totalSteps;
    case EtaRole: return j.etaSeconds;
    case ErrorRole: return j.error;
    case OutputsRole: return j.outputs;
    case PreviewRole: return j.preview;
    default: return {};
    }
}

QHash<int, QByteArray> JobQueueModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names[IdRole] = "jobId";
    names[StateRole] = "state";
    names[StepRole] = "step";
    names[TotalStepsRole] = "totalSteps";
    names[EtaRole] = "eta";
    names[ErrorRole] = "error";
    names[OutputsRole] = "outputs";
    names[PreviewRole] = "preview";
    return names;
}

void JobQueueModel::add(int id, const api::GenerationRequest& request, const QString& title)
{
    Job j;
    j.id = id;
    j.request = request;
    j.title = title.isEmpty() ? tr("(empty prompt)") : title;
    beginInsertRows({}, m_jobs.size(), m_jobs.size());
    m_jobs.append(j);
    endInsertRows();
}

int JobQueueModel::rowOf(int id) const
{
    for (int i = 0; i < m_jobs.size(); ++i)
        if (m_jobs[i].id == id)
            return i;
    return -1;
}

bool JobQueueModel::remove(int id)
{
    const int row = rowOf(id);
    if (row < 0 || m_jobs[row].state == JobState::Running)
        return false;
    beginRemoveRows({}, row, row);
    m_jobs.removeAt(row);
    endRemoveRows();
    return true;
}

bool JobQueueModel::move(int id, int newRow)
{
    const int row = rowOf(id);
    if (row < 0 || newRow < 0 || newRow >= m_jobs.size() || newRow == row)
        return false;
    // beginMoveRows wants the destination as the row *before which* the item lands.
    const int destination = newRow > row ? newRow + 1 : newRow;
    if (!beginMoveRows({}, row, row, {}, destination))
        return false;
    m_jobs.move(row, newRow);
    endMoveRows();
    return true;
}

void JobQueueModel::clearFinished()
{
    for (int i = m_jobs.size() - 1; i >= 0; --i) {
        const JobState s = m_jobs[i].state;
        if (s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled) {
            beginRemoveRows({}, i, i);
            m_jobs.removeAt(i);
            endRemoveRows();
        }
    }
}

const Job* JobQueueModel::job(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_jobs[row];
}

Job* JobQueueModel::mutableJob(int id)
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_jobs[row];
}

void JobQueueModel::changed(int id)
{
    const int row = rowOf(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

Job* JobQueueModel::nextQueued()
{
    for (auto& j : m_jobs)
        if (j.state == JobState::Queued)
            return &j;
    return nullptr;
}

} // namespace easel::app
