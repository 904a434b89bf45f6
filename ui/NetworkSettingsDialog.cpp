#include "ui/NetworkSettingsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/Job.h"
#include "ui/BackgroundReading.h"
#include "ui/JobRunner.h"
#include "workstation/PacsAccess.h"

namespace mammo::ui {

namespace {

// DICOM PS3.5: an AE title is up to 16 characters of the default repertoire, no backslash or control
// characters; leading and trailing spaces are not significant.
QString aeTitleProblem(const QString& what, const QString& title) {
  if (title.isEmpty()) return QObject::tr("%1 is empty.").arg(what);
  if (title.size() > 16) return QObject::tr("%1 \"%2\" is longer than 16 characters.").arg(what, title);
  for (const QChar c : title) {
    if (c.unicode() < 0x20 || c.unicode() > 0x7e || c == QLatin1Char('\\')) {
      return QObject::tr("%1 \"%2\" holds a character an AE title cannot have.").arg(what, title);
    }
  }
  return {};
}

QSpinBox* portBox(QWidget* parent, const char* name) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(QString::fromLatin1(name));
  box->setRange(1, 65535);
  return box;
}

}  // namespace

NetworkSettingsDialog::NetworkSettingsDialog(Services services, BackgroundReading* background, QWidget* parent)
    : QDialog(parent), m_services(services), m_background(background) {
  setWindowTitle(tr("DICOM network"));
  setObjectName(QStringLiteral("networkSettingsDialog"));
  auto* layout = new QVBoxLayout(this);

  auto* ours = new QGroupBox(tr("This workstation (receiver, C-STORE SCP)"), this);
  auto* oursForm = new QFormLayout(ours);
  m_receive = new QCheckBox(tr("Receive studies while the workstation is open"), ours);
  m_receive->setObjectName(QStringLiteral("receive"));
  m_aeTitle = new QLineEdit(ours);
  m_aeTitle->setObjectName(QStringLiteral("aeTitle"));
  m_port = portBox(ours, "port");
  m_callers = new QLineEdit(ours);
  m_callers->setObjectName(QStringLiteral("allowedCallers"));
  m_callers->setPlaceholderText(tr("calling AE titles let in, e.g. ORTHANC MODALITY1 (nobody when empty)"));
  oursForm->addRow(m_receive);
  oursForm->addRow(tr("AE title"), m_aeTitle);
  oursForm->addRow(tr("Port"), m_port);
  oursForm->addRow(tr("Accepted callers"), m_callers);
  m_receiverState = new QLabel(ours);
  m_receiverState->setObjectName(QStringLiteral("receiverNow"));
  oursForm->addRow(tr("Now"), m_receiverState);
  layout->addWidget(ours);

  auto* pacs = new QGroupBox(tr("PACS (query/retrieve, priors)"), this);
  auto* pacsForm = new QFormLayout(pacs);
  m_pacsHost = new QLineEdit(pacs);
  m_pacsHost->setObjectName(QStringLiteral("pacsHost"));
  m_pacsHost->setPlaceholderText(tr("host name or address; empty: no PACS"));
  m_pacsPort = portBox(pacs, "pacsPort");
  m_pacsAe = new QLineEdit(pacs);
  m_pacsAe->setObjectName(QStringLiteral("pacsAeTitle"));
  pacsForm->addRow(tr("Host"), m_pacsHost);
  pacsForm->addRow(tr("Port"), m_pacsPort);
  pacsForm->addRow(tr("AE title"), m_pacsAe);
  m_echo = new QPushButton(tr("&Test (C-ECHO)"), pacs);
  m_echo->setObjectName(QStringLiteral("echo"));
  pacsForm->addRow(m_echo);
  layout->addWidget(pacs);

  m_problem = new QLabel(this);
  m_problem->setObjectName(QStringLiteral("problem"));
  m_problem->setWordWrap(true);
  layout->addWidget(m_problem);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    if (save()) accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_echo, &QPushButton::clicked, this, &NetworkSettingsDialog::echo);
  if (m_background) {
    m_receiverState->setText(m_background->receiverState());
    connect(m_background, &BackgroundReading::receiverStateChanged, m_receiverState, &QLabel::setText);
  }
  load();
}

NetworkSettingsDialog::~NetworkSettingsDialog() {
  if (m_echoJob) m_echoJob->cancel();
}

void NetworkSettingsDialog::load() {
  const workstation::StoreSettings store = m_services.settings.storeSettings();
  const workstation::PacsSettings pacs = m_services.settings.pacs();
  m_receive->setChecked(store.receive);
  m_aeTitle->setText(QString::fromStdString(store.aeTitle));
  m_port->setValue(store.port);
  QStringList callers;
  for (const std::string& c : store.allowedCallers) callers << QString::fromStdString(c);
  m_callers->setText(callers.join(QLatin1Char(' ')));
  m_pacsHost->setText(QString::fromStdString(pacs.host));
  m_pacsPort->setValue(pacs.port);
  m_pacsAe->setText(QString::fromStdString(pacs.aeTitle));
  m_problem->clear();
}

QString NetworkSettingsDialog::edited(workstation::StoreSettings& store, workstation::PacsSettings& pacs) const {
  store = m_services.settings.storeSettings();  // the folder is not edited here
  store.receive = m_receive->isChecked();
  const QString ae = m_aeTitle->text().trimmed();
  if (QString p = aeTitleProblem(tr("The workstation's AE title"), ae); !p.isEmpty()) return p;
  store.aeTitle = ae.toStdString();
  store.port = m_port->value();
  store.allowedCallers.clear();
  static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
  for (const QString& caller : m_callers->text().split(separators, Qt::SkipEmptyParts)) {
    if (QString p = aeTitleProblem(tr("The accepted caller"), caller); !p.isEmpty()) return p;
    store.allowedCallers.push_back(caller.toStdString());
  }
  if (store.receive && store.allowedCallers.empty()) {
    return tr(
        "The receiver would turn every caller away: name the AE titles it accepts (the PACS's, the "
        "modalities').");
  }
  pacs.host = m_pacsHost->text().trimmed().toStdString();
  pacs.port = m_pacsPort->value();
  const QString pacsAe = m_pacsAe->text().trimmed();
  if (!pacs.host.empty()) {
    if (QString p = aeTitleProblem(tr("The PACS's AE title"), pacsAe); !p.isEmpty()) return p;
  }
  pacs.aeTitle = pacsAe.toStdString();
  return {};
}

bool NetworkSettingsDialog::save() {
  workstation::StoreSettings store;
  workstation::PacsSettings pacs;
  const QString problem = edited(store, pacs);
  m_problem->setText(problem);
  if (!problem.isEmpty()) return false;
  m_services.settings.setStoreSettings(store);
  m_services.settings.setPacs(pacs);
  if (m_background) m_background->applyReceiverSettings();
  emit saved();
  return true;
}

void NetworkSettingsDialog::echo() {
  workstation::StoreSettings store;
  workstation::PacsSettings pacs;
  if (const QString problem = edited(store, pacs); !problem.isEmpty() || pacs.host.empty()) {
    m_problem->setText(problem.isEmpty() ? tr("Give the PACS's host first.") : problem);
    emit echoed(false, m_problem->text());
    return;
  }
  if (m_echoJob) m_echoJob->cancel();
  const pacs::RemoteNode node = workstation::pacsNode(pacs, store);
  const QString name = QString::fromStdString(node.describe());
  m_problem->setText(tr("Calling %1...").arg(name));
  m_echo->setEnabled(false);
  JobRunner::Callbacks<void> callbacks;
  callbacks.done = [this, name] {
    m_echoJob.reset();
    m_echo->setEnabled(true);
    m_problem->setText(tr("%1 answers (C-ECHO).").arg(name));
    emit echoed(true, m_problem->text());
  };
  callbacks.failed = [this](const QString& message) {
    m_echoJob.reset();
    m_echo->setEnabled(true);
    m_problem->setText(message);
    emit echoed(false, message);
  };
  callbacks.cancelled = [this] {
    m_echoJob.reset();
    m_echo->setEnabled(true);
  };
  m_echoJob = m_services.jobs.start<void>(
      JobRunner::Lane::Background, tr("C-ECHO of the PACS"), this, [node](core::JobContext&) { pacs::echo(node); },
      std::move(callbacks));
}

}  // namespace mammo::ui
