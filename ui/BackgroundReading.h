#pragma once
// The workstation's background services of a reading session, for the GUI: the pre-reader
// (workstation::PreReader: the worklist's studies analysed by the AI one at a time) and the DICOM receiver
// (pacs::StoreReceiver, run while the store settings say so). Their worker-thread events arrive here as
// signals on the GUI thread. The open study's foreground analysis shares the pre-reader's models and holds
// it (AnalysisController::setBackground).
// Threads: GUI thread; the pre-reader and the receiver are thread-safe and may be used from jobs.
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ui/Services.h"
#include "workstation/Settings.h"

namespace mammo::core {
class JobContext;
}
namespace mammo::pacs {
class StoreReceiver;
struct ReceiverEvents;
}  // namespace mammo::pacs
namespace mammo::workstation {
class ModelCache;
class PreReader;
}  // namespace mammo::workstation

namespace mammo::ui {

class BackgroundReading : public QObject {
  Q_OBJECT

 public:
  // Starts the pre-reader with the AI settings and, when the store settings ask for it, the receiver.
  explicit BackgroundReading(Services services, QObject* parent = nullptr);
  // Stops the receiver (its running associations end), then the pre-reader (a running pre-read goes back to
  // Queued, analysed again at the next start).
  ~BackgroundReading() override;

  std::shared_ptr<workstation::ModelCache> models() const { return m_models; }
  std::shared_ptr<workstation::PreReader> preReader() const { return m_preReader; }

  // The model and settings of the AI (pre-reading waits while no model is chosen or ai.preRead is off).
  void setAiSettings(const workstation::AiSettings& ai);
  // Queues studies for pre-reading, from any thread (the load job queues what it found).
  void enqueue(const std::vector<std::string>& keys, std::chrono::milliseconds settle = {});
  // Every study of the store whose AI result is not done (at start: what arrived while the workstation was
  // closed, or what a closed workstation left half-analysed), found on a background job.
  void enqueueUnfinished();

  // Starts, restarts or stops the receiver as the store settings say, on a Background job (stopping lets the
  // running associations end; opening the port may fail): receiverStateChanged follows, with why it could
  // not start (the port is taken, no permission). A change while one is applied is applied after it.
  void applyReceiverSettings();
  bool receiving() const { return m_receiver != nullptr; }
  // "Receiving as AET on port N", "Not receiving" or why the receiver could not start.
  QString receiverState() const { return m_receiverState; }

 signals:
  // A study's AI status changed or an image of it arrived: the worklist shows it anew.
  void studyChanged(const QString& key);
  void aiProgress(const QString& key, double fraction, const QString& stage);
  // An instance or association the receiver refused (no patient data in the line).
  void receiverProblem(const QString& line);
  void receiverStateChanged(const QString& state);

 private:
  Services m_services;
  std::shared_ptr<workstation::ModelCache> m_models;
  std::shared_ptr<workstation::PreReader> m_preReader;
  void applyPending();
  void setReceiverState(const QString& state);
  pacs::ReceiverEvents receiverEvents();

  std::shared_ptr<pacs::StoreReceiver> m_receiver;
  workstation::StoreSettings m_receiverSettings;  // what the receiver was last started (or stopped) with
  bool m_receiverApplied = false;
  std::shared_ptr<core::JobContext> m_receiverJob;  // a start or stop in progress
  struct StartedReceiver {  // what the start job hands over
    std::mutex mutex;
    std::shared_ptr<pacs::StoreReceiver> receiver;
  };
  std::shared_ptr<StartedReceiver> m_started;
  bool m_reapply = false;  // the settings changed while it ran
  QString m_receiverState;
};

}  // namespace mammo::ui
