#include "ui/BackgroundReading.h"

#include <QMetaObject>
#include <QPointer>

#include <stdexcept>
#include <utility>

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

bool BackgroundReading::applyReceiverSettings() {
  const workstation::StoreSettings wanted = m_services.settings.storeSettings();
  if (m_receiver && wanted.receive && wanted == m_receiverSettings) return true;
  m_receiver.reset();
  m_receiverSettings = wanted;
  bool ok = true;
  if (!wanted.receive) {
    m_receiverState = tr("Not receiving");
  } else {
    pacs::ReceiverOptions options;
    options.aeTitle = wanted.aeTitle;
    options.port = wanted.port;
    options.allowedCallers = wanted.allowedCallers;
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
    try {
      pacs::cleanIncoming(m_services.store);
      m_receiver = std::make_unique<pacs::StoreReceiver>(m_services.store, options, std::move(events));
      m_receiverState = tr("Receiving as %1 on port %2").arg(QString::fromStdString(wanted.aeTitle)).arg(wanted.port);
    } catch (const std::exception& e) {
      m_receiverState = tr("The DICOM receiver could not start: %1").arg(QString::fromStdString(e.what()));
      ok = false;
    }
  }
  emit receiverStateChanged(m_receiverState);
  return ok;
}

}  // namespace mammo::ui
