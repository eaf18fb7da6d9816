#pragma once
/// The generation queue as an item model: one row per job, with its state, progress and result.
/// A mirror of the generation service's jobs, kept on the GUI thread by EngineController (its only
/// writer). Views (queue panel) read it.

#include <QAbstractListModel>
#include <QImage>
#include <QStringList>

#include "engine/api/request.h"
#include "engine/service/job.h"

namespace easel::app {

/// The service's job states (queued, running, done, failed, cancelled).
using JobState = service::JobState;

/// Short English name of a state ("queued", "running", …) for logs and tests.
QString jobStateName(JobState state);

struct Job {
    int id = 0;
    QString title;                  ///< first words of the prompt
    api::GenerationRequest request;
    JobState state = JobState::Queued;
    int step = 0;
    int totalSteps = 0;
    QString stage;
    double etaSeconds = 0;
    QString error;                  ///< why it failed (what happened and what to do)
    QStringList outputs;            ///< written image files
    QStringList warnings;
    QImage preview;
};

class JobQueueModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Roles { IdRole = Qt::UserRole + 1, StateRole, StepRole, TotalStepsRole, EtaRole, ErrorRole, OutputsRole, PreviewRole };

    explicit JobQueueModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Appends the service's job `id` (ids come from the service).
    void add(int id, const api::GenerationRequest& request, const QString& title);
    bool remove(int id);                 ///< only queued or finished jobs; the running one must be cancelled
    bool move(int id, int newRow);       ///< reorder; returns false when out of range
    void clearFinished();

    const Job* job(int id) const;
    Job* mutableJob(int id);
    void changed(int id);                ///< emits dataChanged for the job's row
    /// First queued job in order, or nullptr.
    Job* nextQueued();
    int rowOf(int id) const;
    const QList<Job>& jobs() const { return m_jobs; }

private:
    QList<Job> m_jobs;
};

} // namespace easel::app
