#include "ui/ClassListDialog.h"

#include <filesystem>

#include "ui/JobRunner.h"
#include "workstation/Settings.h"

#include <QAction>
#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

#include <span>
#include <stdexcept>

#include "annotation/AtomicFile.h"
#include "ui/ActionTable.h"
#include "ui/AnnotationController.h"

namespace mammo::ui {

namespace {

QColor colourOf(const annotation::MaskClass& c) { return QColor(c.rgb[0], c.rgb[1], c.rgb[2]); }

}  // namespace

ClassListDialog::ClassListDialog(AnnotationController* controller, const ActionTable& actions, Services services,
                                 QWidget* parent)
    : QDialog(parent), m_controller(controller), m_actions(actions), m_services(services) {
  setWindowTitle(tr("Annotation classes"));
  setObjectName(QStringLiteral("classListDialog"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Each class is benign or malignant, optionally of a lesion type (lower-case "
                              "letters, digits and '-'). Its masks are saved as <exam>_<view>_<class>.png. "
                              "Double-click a colour to change it."),
                           this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  m_table = new QTableWidget(0, ColumnCount, this);
  m_table->setHorizontalHeaderLabels({tr("Pathology"), tr("Lesion type"), tr("Colour"), tr("Key")});
  m_table->horizontalHeader()->setSectionResizeMode(LesionType, QHeaderView::Stretch);
  m_table->verticalHeader()->hide();
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  layout->addWidget(m_table);
  connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
    if (column != Colour) return;
    const QColor chosen = QColorDialog::getColor(m_table->item(row, Colour)->background().color(), this);
    if (chosen.isValid()) setColour(row, chosen);
  });

  auto* rowButtons = new QHBoxLayout;
  auto* add = new QPushButton(tr("&Add class"), this);
  auto* remove = new QPushButton(tr("&Remove class"), this);
  auto* standard = new QPushButton(tr("&Standard classes"), this);
  add->setObjectName(QStringLiteral("addClass"));
  remove->setObjectName(QStringLiteral("removeClass"));
  rowButtons->addWidget(add);
  rowButtons->addWidget(remove);
  rowButtons->addStretch();
  rowButtons->addWidget(standard);
  layout->addLayout(rowButtons);
  connect(add, &QPushButton::clicked, this, [this] {
    annotation::MaskClass c;
    c.name = "benign";
    c.pathology = annotation::Pathology::Benign;
    c.rgb = {128, 128, 255};
    addClass(c);
    m_table->setCurrentCell(m_table->rowCount() - 1, LesionType);
  });
  connect(remove, &QPushButton::clicked, this, [this] {
    if (m_table->currentRow() >= 0) m_table->removeRow(m_table->currentRow());
  });
  connect(standard, &QPushButton::clicked, this, [this] { load(annotation::ClassList::standard()); });

  m_problem = new QLabel(this);
  m_problem->setWordWrap(true);
  m_problem->setStyleSheet(QStringLiteral("color: #e05050"));
  layout->addWidget(m_problem);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
  layout->addWidget(buttons);
  m_save = buttons->button(QDialogButtonBox::Save);
  connect(m_save, &QPushButton::clicked, this, &ClassListDialog::save);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  load(controller->configuredClasses());
  resize(560, 420);
}

void ClassListDialog::load(const annotation::ClassList& classes) {
  m_table->setRowCount(0);
  for (const annotation::MaskClass& c : classes.classes()) addClass(c);
  m_problem->clear();
}

void ClassListDialog::addClass(const annotation::MaskClass& c) {
  const int row = m_table->rowCount();
  m_table->insertRow(row);
  auto* pathology = new QComboBox(m_table);
  pathology->addItem(tr("benign"), QStringLiteral("benign"));
  pathology->addItem(tr("malignant"), QStringLiteral("malignant"));
  pathology->setCurrentIndex(c.pathology == annotation::Pathology::Malignant ? 1 : 0);
  m_table->setCellWidget(row, Pathology, pathology);
  m_table->setItem(row, LesionType, new QTableWidgetItem(QString::fromStdString(c.lesionType)));
  auto* colour = new QTableWidgetItem;
  colour->setFlags(colour->flags() & ~Qt::ItemIsEditable);
  m_table->setItem(row, Colour, colour);
  setColour(row, colourOf(c));
  m_table->setItem(row, Key, new QTableWidgetItem(QString::fromStdString(c.key)));
}

void ClassListDialog::setColour(int row, const QColor& colour) {
  QTableWidgetItem* item = m_table->item(row, Colour);
  item->setBackground(colour);
  item->setForeground(colour.lightness() > 128 ? Qt::black : Qt::white);
  item->setText(colour.name());
}

annotation::ClassList ClassListDialog::edited() const {
  std::vector<annotation::MaskClass> classes;
  for (int row = 0; row < m_table->rowCount(); ++row) {
    const auto* pathology = static_cast<QComboBox*>(m_table->cellWidget(row, Pathology));
    const QString type = m_table->item(row, LesionType)->text().trimmed();
    annotation::MaskClass c;
    c.name = pathology->currentData().toString().toStdString();
    if (!type.isEmpty()) c.name += "-" + type.toStdString();
    const QColor colour = m_table->item(row, Colour)->background().color();
    c.rgb = {static_cast<std::uint8_t>(colour.red()), static_cast<std::uint8_t>(colour.green()),
             static_cast<std::uint8_t>(colour.blue())};
    const QString key = m_table->item(row, Key)->text().trimmed();
    if (!key.isEmpty()) {
      const QKeySequence sequence = QKeySequence::fromString(key, QKeySequence::PortableText);
      if (sequence.isEmpty() || sequence[0].key() == Qt::Key_unknown) {
        throw std::invalid_argument("row " + std::to_string(row + 1) + ": '" + key.toStdString() + "' is not a key");
      }
      c.key = sequence.toString(QKeySequence::PortableText).toStdString();
    }
    classes.push_back(std::move(c));
  }
  return annotation::ClassList(std::move(classes));
}

QString ClassListDialog::keyConflict(const annotation::ClassList& classes) const {
  // The window's keys, less those of the class actions, which the new list replaces.
  std::vector<QKeySequence> keys = m_actions.currentKeys();
  for (int i = 0; i < static_cast<int>(keys.size()); ++i) {
    const QAction* action = m_actions.rows()[i].action;
    if (action && action->objectName().startsWith(QStringLiteral("annotate.class-"))) keys[i] = {};
  }
  for (const annotation::MaskClass& c : classes.classes()) {
    const QKeySequence key = QKeySequence::fromString(QString::fromStdString(c.key), QKeySequence::PortableText);
    // Class actions have the default context (Qt::WindowShortcut), as every action ActionTable::add makes.
    const int row = m_actions.conflictingRow(key, Qt::WindowShortcut, keys);
    if (row >= 0) {
      return tr("Key %1 of class %2 is taken by %3.")
          .arg(key.toString(QKeySequence::NativeText), QString::fromStdString(c.name), m_actions.describe(row));
    }
  }
  return {};
}

bool ClassListDialog::save() {
  annotation::ClassList classes;
  try {
    classes = edited();
  } catch (const std::exception& e) {
    m_problem->setText(tr("Not saved: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  if (const QString conflict = keyConflict(classes); !conflict.isEmpty()) {
    m_problem->setText(tr("Not saved: %1").arg(conflict));
    return false;
  }
  QString file = QString::fromStdString(m_services.settings.annotation().classesFile);
  const bool defaultPlace = file.isEmpty();
  if (defaultPlace)
    file = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/classes.json");
  // Written (atomically, with fsync) on a worker; applied and closed when it is on disk.
  m_problem->setText(tr("Saving..."));
  m_save->setEnabled(false);
  JobRunner::Callbacks<void> callbacks;
  callbacks.done = [this] { written({}); };
  callbacks.failed = [this](const QString& error) { written(error); };
  m_services.jobs.start<void>(
      JobRunner::Lane::Background, tr("Saving the class list"), this,
      [file = file.toStdString(), json = classes.toJson(), defaultPlace](core::JobContext&) {
        if (defaultPlace) std::filesystem::create_directories(std::filesystem::path(file).parent_path());
        annotation::writeFileAtomically(file,
                                        std::span(reinterpret_cast<const std::uint8_t*>(json.data()), json.size()));
      },
      std::move(callbacks));
  m_pending = std::move(classes);
  m_pendingFile = file;
  return true;
}

void ClassListDialog::written(const QString& error) {
  m_save->setEnabled(true);
  if (!error.isEmpty()) {
    m_problem->setText(tr("Not saved: %1").arg(error));
    return;
  }
  workstation::AnnotationSettings annotation = m_services.settings.annotation();
  annotation.classesFile = m_pendingFile.toStdString();
  m_services.settings.setAnnotation(annotation);
  m_problem->clear();
  m_controller->setConfiguredClasses(m_pending);
  accept();
}

}  // namespace mammo::ui
