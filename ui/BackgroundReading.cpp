#include "ui/BackgroundReading.h"

#include <QMetaObject>
#include <QPointer>

#include <mutex>

#include <stdexcept>
#include <utility>

#include "core/Job.h"
#include "pacs/StoreReceiver.h"
#include "pacs/StudyStore.h"
#include "ui/JobRunner.h"
#include "workstation/Analysis.h"
#include "workstation/PreReading.h"

namespace mammo::ui {
namespace {

// How long a received study waits after its last image before it is pre-read (the sender's next image
// normally follows within milliseconds; a modality sending a study slowly restarts the wait each image).
constexpr std::chrono::seconds kReceivedSettle{3};

}  // namespace

BackgroundReading::BackgroundReading(Services services, QObject* parent)
    : QObject(parent), m_services(services), m_models(std::make_shared<workstation::ModelCache>()) {
  // Worker-thread events, posted to this object (Qt drops them once it is gone; the destructor stops the
  // workers before that).
  QPointer<BackgroundReading> self(this);
  workstation::PreReadEvents events;
  events.statusChanged = [self](const std::string& key, pacs::AiStatus) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, key] {
          if (self) emit self->studyChanged(QString::fromStdString(key));
        },
        Qt::QueuedConnection);
  };
  events.progress = [self](const std::string& key, double fraction, const std::string& stage) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, key, fraction, stage] {
          if (self) emit self->aiProgress(QString::fromStdString(key), fraction, QString::fromStdString(stage));
        },
        Qt::QueuedConnection);
  };
  m_preReader = std::make_shared<workstation::PreReader>(m_services.store, m_models, m_services.settings.userCacheDir(),
                                                         std::move(events));
  setAiSettings(m_services.settings.ai());
  applyReceiverSettings();
}

BackgroundReading::~BackgroundReading() {
  // A receiver being started would listen on with nobody to stop it: let that job end first (it is short).
  if (m_receiverJob) {
    m_services.jobs.drain(JobRunner::Lane::Background);
    std::lock_guard lock(m_started->mutex);
    m_started->receiver.reset();
  }
  m_receiver.reset();
  // A job of the analysis lane may still hold a reference: stopped here, it holds and releases a
  // pre-reader whose worker is gone and whose events no longer come.
  m_preReader->stop();
}

void BackgroundReading::setAiSettings(const workstation::AiSettings& ai) { m_preReader->setSettings(ai, ai.preRead); }

void BackgroundReading::enqueue(const std::vector<std::string>& keys, std::chrono::milliseconds settle) {
  m_preReader->enqueue(keys, settle);
}

void BackgroundReading::enqueueUnfinished() {
  m_services.jobs.start<void>(JobRunner::Lane::Background, tr("Queuing studies for the AI"), this,
                              [reader = m_preReader, &store = m_services.store](core::JobContext&) {
                                std::vector<std::string> keys;
                                for (const pacs::StudyRecord& s : store.studies({})) {
                                  if (s.aiStatus != pacs::AiStatus::Done) keys.push_back(s.key);
                                }
                                reader->enqueue(keys);
                              },
                              {});
}

void BackgroundReading::applyReceiverSettings() {
  const workstation::StoreSettings wanted = m_services.settings.storeSettings();
  if (m_receiverJob) {  // one start or stop at a time: the newest settings are applied after it
    m_reapply = true;
    return;
  }
  const bool running = m_receiver != nullptr;
  if (m_receiverApplied && wanted == m_receiverSettings && running == wanted.receive) return;
  m_receiverApplied = true;
  m_receiverSettings = wanted;
  pacs::ReceiverOptions options;
  options.aeTitle = wanted.aeTitle;
  options.port = wanted.port;
  options.allowedCallers = wanted.allowedCallers;
  setReceiverState(wanted.receive ? tr("Starting the DICOM receiver as %1 on port %2")
                                        .arg(QString::fromStdString(wanted.aeTitle))
                                        .arg(wanted.port)
                                  : tr("Not receiving"));
  // The old receiver stops on the worker (it lets its running associations end); the new one opens its port
  // there too, so that neither waits on the GUI thread. It is handed over in m_started, which the destructor
  // empties should the window close meanwhile.
  auto old = std::move(m_receiver);
  m_started = std::make_shared<StartedReceiver>();
  JobRunner::Callbacks<void> callbacks;
  callbacks.done = [this, wanted, started = m_started] {
    m_receiverJob.reset();
    {
      std::lock_guard lock(started->mutex);
      m_receiver = std::move(started->receiver);
    }
    setReceiverState(m_receiver
                         ? tr("Receiving as %1 on port %2").arg(QString::fromStdString(wanted.aeTitle)).arg(wanted.port)
                         : tr("Not receiving"));
    applyPending();
  };
  callbacks.failed = [this](const QString& message) {
    m_receiverJob.reset();
    setReceiverState(tr("The DICOM receiver could not start: %1").arg(message));
    applyPending();
  };
  callbacks.cancelled = [this] { m_receiverJob.reset(); };
  m_receiverJob = m_services.jobs.start<void>(
      JobRunner::Lane::Background, tr("Starting the DICOM receiver"), this,
      [old = std::move(old), started = m_started, receive = wanted.receive, options, events = receiverEvents(),
       &store = m_services.store](core::JobContext&) mutable {
        old.reset();
        if (!receive) return;
        pacs::cleanIncoming(store);
        auto receiver = std::make_shared<pacs::StoreReceiver>(store, options, std::move(events));
        std::lock_guard lock(started->mutex);
        started->receiver = std::move(receiver);
      },
      std::move(callbacks));
}

void BackgroundReading::applyPending() {
  if (!m_reapply) return;
  m_reapply = false;
  applyReceiverSettings();
}

void BackgroundReading::setReceiverState(const QString& state) {
  m_receiverState = state;
  emit receiverStateChanged(m_receiverState);
}

pacs::ReceiverEvents BackgroundReading::receiverEvents() {
  QPointer<BackgroundReading> self(this);
  pacs::ReceiverEvents events;
  events.stored =
      [self, reader = std::weak_ptr<workstation::PreReader>(m_preReader)](const pacs::ReceivedInstance& instance) {
        if (const auto r = reader.lock()) r->enqueue({instance.studyKey}, kReceivedSettle);
        QMetaObject::invokeMethod(
            self.data(),
            [self, key = instance.studyKey] {
              if (self) emit self->studyChanged(QString::fromStdString(key));
            },
            Qt::QueuedConnection);
      };
  events.problem = [self](const std::string& line) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, line] {
          if (self) emit self->receiverProblem(QString::fromStdString(line));
        },
        Qt::QueuedConnection);
  };
  return events;
}

}  // namespace mammo::ui
