#pragma once
// The workstation's settings, typed: one object made by the application (app/) and handed down to what
// needs it, never built below. Every setting's key, type and default is written here once; the values live
// in a SettingsStore — QSettings for the GUI (ui/QtSettingsStore), memory for the CLI and tests. Reads and
// writes go straight to the store (nothing cached), so the store stays the one truth.
//
// Keys (the GUI's QSettings): ai/modelBundle, ai/samples, ai/augment, ai/fastHeatmaps, ai/autoAnalyse,
// ai/device, ai/threads, ai/preRead; annotation/root, annotation/user, annotation/classes; loupe/size,
// loupe/magnification; store/folder, store/receive, store/aeTitle, store/port, store/allowedCallers;
// pacs/host, pacs/port, pacs/aeTitle; recentExams; shortcuts/<action>; window/geometry, window/state.
// Threads: a Settings object is used on one thread (the GUI thread); workers get copies of the values.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mammo::workstation {

struct Bytes {
  std::string data;  // raw bytes (window geometry and dock state)
  bool operator==(const Bytes&) const = default;
};
using SettingValue = std::variant<bool, int, double, std::string, std::vector<std::string>, Bytes>;

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  // nullopt when the key has no value. A stored value of another type is converted where it can be
  // (numbers and booleans from text), else nullopt.
  virtual std::optional<SettingValue> value(const std::string& key, const SettingValue& type) const = 0;
  virtual void setValue(const std::string& key, const SettingValue& value) = 0;
  virtual void remove(const std::string& key) = 0;
};

// A store in memory (the CLI, tests that must not touch the user's settings).
class MemorySettingsStore : public SettingsStore {
 public:
  std::optional<SettingValue> value(const std::string& key, const SettingValue& type) const override;
  void setValue(const std::string& key, const SettingValue& value) override;
  void remove(const std::string& key) override;

 private:
  std::map<std::string, SettingValue> m_values;
};

// Compute device of the AI: "auto" (CUDA when this LibTorch has it and a GPU is present), "cpu", "cuda".
struct AiSettings {
  std::string modelBundle;  // folder with bundle.json; empty: none chosen
  int samples = 10;  // augmented samples per model (the reference's --num-epochs)
  bool augment = true;
  bool fastHeatmaps = false;  // exact (as the reference) unless the user chooses the approximation
  bool autoAnalyse = true;  // analyse when an exam opens
  std::string device = "auto";
  int threads = 0;  // CPU threads, 0 = all cores
  bool preRead = true;  // analyse the worklist's studies in the background (workstation/PreReading)
};

struct AnnotationSettings {
  std::string root;  // where masks go; empty: workstation::annotationRoot's choice
  std::string user;  // the annotator's name; empty: the login name
  std::string classesFile;  // class list JSON (annotation/MaskClasses.h); empty: the standard list
};

// The study store (pacs::StudyStore) and the workstation's DICOM node.
struct StoreSettings {
  std::string folder;  // empty: <user data folder>/store
  bool receive = false;  // run the C-STORE receiver (pacs::StoreReceiver) while the GUI is open
  std::string aeTitle = "MAMMOLENS";  // our AE title: the receiver's, and the C-MOVE destination
  int port = 11112;
  std::vector<std::string> allowedCallers;  // calling AE titles let in; empty: nobody
  bool operator==(const StoreSettings&) const = default;
};

// The PACS the workstation queries and retrieves from (C-FIND, C-MOVE/C-GET). Empty host: none configured.
struct PacsSettings {
  std::string host;
  int port = 4242;
  std::string aeTitle = "ORTHANC";  // the PACS's (called) AE title
  bool operator==(const PacsSettings&) const = default;
};

struct LoupeSettings {
  int sizePx = 0;  // 0: the loupe's default
  double magnification = 0;  // 0: the loupe's default
};

class Settings {
 public:
  // `userDataDir` and `userCacheDir`: the platform's folders for this user (not settings themselves).
  explicit Settings(std::unique_ptr<SettingsStore> store = std::make_unique<MemorySettingsStore>(),
                    std::filesystem::path userDataDir = {}, std::filesystem::path userCacheDir = {});

  AiSettings ai() const;
  void setAi(const AiSettings& ai);
  AnnotationSettings annotation() const;
  void setAnnotation(const AnnotationSettings& annotation);
  LoupeSettings loupe() const;
  void setLoupe(const LoupeSettings& loupe);
  StoreSettings storeSettings() const;
  void setStoreSettings(const StoreSettings& store);
  PacsSettings pacs() const;
  void setPacs(const PacsSettings& pacs);
  // The store's folder: the setting, else <user data folder>/store.
  std::filesystem::path storeFolder() const;

  // Most recent first.
  std::vector<std::string> recentExams() const;
  void setRecentExams(const std::vector<std::string>& entries);

  // The key of a menu action (QKeySequence portable text, "" for none); nullopt: its default.
  std::optional<std::string> shortcut(const std::string& action) const;
  void setShortcut(const std::string& action, const std::optional<std::string>& key);

  Bytes windowGeometry() const;
  Bytes windowState() const;
  void setWindowLayout(const Bytes& geometry, const Bytes& state);

  const std::filesystem::path& userDataDir() const { return m_dataDir; }
  const std::filesystem::path& userCacheDir() const { return m_cacheDir; }
  SettingsStore& store() { return *m_store; }

 private:
  template <class T>
  T get(const std::string& key, T fallback) const;

  std::unique_ptr<SettingsStore> m_store;
  std::filesystem::path m_dataDir, m_cacheDir;
};

}  // namespace mammo::workstation
