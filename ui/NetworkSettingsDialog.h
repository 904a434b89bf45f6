#pragma once
// Study > DICOM network: the workstation's own DICOM node (the receiver: on/off, AE title, port, the calling
// AE titles let in) and the PACS it queries (host, port, AE title), with a C-ECHO test of the PACS on the
// Network lane. Save checks the values (an AE title is 1-16 characters without backslash or control
// characters; a port 1-65535), writes them to the settings and has the receiver restarted as they say — off
// the GUI thread (BackgroundReading::applyReceiverSettings); its state arrives in receiverState(). Values
// that cannot be saved leave the dialog open with the reason.
#include <QDialog>
#include <QString>

#include <memory>

#include "ui/Services.h"
#include "workstation/Settings.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace mammo::core {
class JobContext;
}

namespace mammo::ui {

class BackgroundReading;

class NetworkSettingsDialog : public QDialog {
  Q_OBJECT

 public:
  NetworkSettingsDialog(Services services, BackgroundReading* background, QWidget* parent = nullptr);
  ~NetworkSettingsDialog() override;

  QCheckBox* receive() const { return m_receive; }
  QLineEdit* aeTitle() const { return m_aeTitle; }
  QSpinBox* port() const { return m_port; }
  QLineEdit* allowedCallers() const { return m_callers; }  // separated by spaces or commas
  QLineEdit* pacsHost() const { return m_pacsHost; }
  QSpinBox* pacsPort() const { return m_pacsPort; }
  QLineEdit* pacsAeTitle() const { return m_pacsAe; }
  QLabel* problem() const { return m_problem; }  // why Save was refused, or the C-ECHO's outcome
  QLabel* receiverState() const { return m_receiverState; }

  // The fields as settings; an empty string when they are valid, else why not.
  QString edited(workstation::StoreSettings& store, workstation::PacsSettings& pacs) const;

 public slots:
  void load();  // the fields from the settings
  bool save();  // false when refused (problem() says why)
  void echo();  // C-ECHO of the PACS in the fields; echoed follows

 signals:
  void echoed(bool ok, const QString& message);
  void saved();

 private:
  Services m_services;
  BackgroundReading* m_background;
  QCheckBox* m_receive = nullptr;
  QLineEdit* m_aeTitle = nullptr;
  QSpinBox* m_port = nullptr;
  QLineEdit* m_callers = nullptr;
  QLineEdit* m_pacsHost = nullptr;
  QSpinBox* m_pacsPort = nullptr;
  QLineEdit* m_pacsAe = nullptr;
  QLabel* m_problem = nullptr;
  QLabel* m_receiverState = nullptr;
  QPushButton* m_echo = nullptr;
  std::shared_ptr<core::JobContext> m_echoJob;
};

}  // namespace mammo::ui
