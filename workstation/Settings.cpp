#include "workstation/Settings.h"

#include <utility>

namespace mammo::workstation {

namespace {

// A value as `T` when the store holds that type, or text that reads as it.
template <class T>
std::optional<T> as(const SettingValue& v) {
  if (const T* x = std::get_if<T>(&v)) return *x;
  if constexpr (std::is_same_v<T, int> || std::is_same_v<T, double>) {
    if (const int* i = std::get_if<int>(&v)) return static_cast<T>(*i);
    if (const double* d = std::get_if<double>(&v)) return static_cast<T>(*d);
  }
  return std::nullopt;
}

}  // namespace

std::optional<SettingValue> MemorySettingsStore::value(const std::string& key, const SettingValue&) const {
  const auto it = m_values.find(key);
  if (it == m_values.end()) return std::nullopt;
  return it->second;
}

void MemorySettingsStore::setValue(const std::string& key, const SettingValue& value) { m_values[key] = value; }

void MemorySettingsStore::remove(const std::string& key) { m_values.erase(key); }

Settings::Settings(std::unique_ptr<SettingsStore> store, std::filesystem::path userDataDir,
                   std::filesystem::path userCacheDir)
    : m_store(std::move(store)), m_dataDir(std::move(userDataDir)), m_cacheDir(std::move(userCacheDir)) {}

template <class T>
T Settings::get(const std::string& key, T fallback) const {
  const std::optional<SettingValue> v = m_store->value(key, SettingValue(fallback));
  if (!v) return fallback;
  return as<T>(*v).value_or(fallback);
}

AiSettings Settings::ai() const {
  const AiSettings d;
  AiSettings a;
  a.modelBundle = get<std::string>("ai/modelBundle", d.modelBundle);
  a.samples = get<int>("ai/samples", d.samples);
  a.augment = get<bool>("ai/augment", d.augment);
  a.fastHeatmaps = get<bool>("ai/fastHeatmaps", d.fastHeatmaps);
  a.autoAnalyse = get<bool>("ai/autoAnalyse", d.autoAnalyse);
  a.device = get<std::string>("ai/device", d.device);
  if (a.device != "cpu" && a.device != "cuda") a.device = "auto";
  a.threads = get<int>("ai/threads", d.threads);
  a.preRead = get<bool>("ai/preRead", d.preRead);
  return a;
}

void Settings::setAi(const AiSettings& a) {
  const AiSettings old = ai();
  // Only what changed is written, so a store keeps the defaults it never had out of its file.
  if (a.modelBundle != old.modelBundle) m_store->setValue("ai/modelBundle", a.modelBundle);
  if (a.samples != old.samples) m_store->setValue("ai/samples", a.samples);
  if (a.augment != old.augment) m_store->setValue("ai/augment", a.augment);
  if (a.fastHeatmaps != old.fastHeatmaps) m_store->setValue("ai/fastHeatmaps", a.fastHeatmaps);
  if (a.autoAnalyse != old.autoAnalyse) m_store->setValue("ai/autoAnalyse", a.autoAnalyse);
  if (a.device != old.device) m_store->setValue("ai/device", a.device);
  if (a.threads != old.threads) m_store->setValue("ai/threads", a.threads);
  if (a.preRead != old.preRead) m_store->setValue("ai/preRead", a.preRead);
}

AnnotationSettings Settings::annotation() const {
  return {get<std::string>("annotation/root", ""), get<std::string>("annotation/user", ""),
          get<std::string>("annotation/classes", "")};
}

void Settings::setAnnotation(const AnnotationSettings& a) {
  const std::pair<const char*, const std::string*> values[] = {
      {"annotation/root", &a.root}, {"annotation/user", &a.user}, {"annotation/classes", &a.classesFile}};
  for (const auto& [key, value] : values) {
    if (value->empty())
      m_store->remove(key);
    else
      m_store->setValue(key, *value);
  }
}

LoupeSettings Settings::loupe() const { return {get<int>("loupe/size", 0), get<double>("loupe/magnification", 0.0)}; }

void Settings::setLoupe(const LoupeSettings& l) {
  m_store->setValue("loupe/size", l.sizePx);
  m_store->setValue("loupe/magnification", l.magnification);
}

StoreSettings Settings::storeSettings() const {
  const StoreSettings d;
  StoreSettings s;
  s.folder = get<std::string>("store/folder", "");
  s.receive = get<bool>("store/receive", d.receive);
  s.aeTitle = get<std::string>("store/aeTitle", d.aeTitle);
  s.port = get<int>("store/port", d.port);
  s.allowedCallers = get<std::vector<std::string>>("store/allowedCallers", {});
  return s;
}

void Settings::setStoreSettings(const StoreSettings& s) {
  const StoreSettings old = storeSettings();
  if (s.folder.empty())
    m_store->remove("store/folder");
  else
    m_store->setValue("store/folder", s.folder);
  if (s.receive != old.receive) m_store->setValue("store/receive", s.receive);
  if (s.aeTitle != old.aeTitle) m_store->setValue("store/aeTitle", s.aeTitle);
  if (s.port != old.port) m_store->setValue("store/port", s.port);
  if (s.allowedCallers != old.allowedCallers) m_store->setValue("store/allowedCallers", s.allowedCallers);
}

PacsSettings Settings::pacs() const {
  const PacsSettings d;
  return {get<std::string>("pacs/host", d.host), get<int>("pacs/port", d.port),
          get<std::string>("pacs/aeTitle", d.aeTitle)};
}

void Settings::setPacs(const PacsSettings& p) {
  const PacsSettings old = pacs();
  if (p.host != old.host) m_store->setValue("pacs/host", p.host);
  if (p.port != old.port) m_store->setValue("pacs/port", p.port);
  if (p.aeTitle != old.aeTitle) m_store->setValue("pacs/aeTitle", p.aeTitle);
}

std::filesystem::path Settings::storeFolder() const {
  const std::string folder = storeSettings().folder;
  return folder.empty() ? m_dataDir / "store" : std::filesystem::path(folder);
}

std::vector<std::string> Settings::recentExams() const { return get<std::vector<std::string>>("recentExams", {}); }

void Settings::setRecentExams(const std::vector<std::string>& entries) { m_store->setValue("recentExams", entries); }

std::optional<std::string> Settings::shortcut(const std::string& action) const {
  const std::optional<SettingValue> v = m_store->value("shortcuts/" + action, std::string());
  if (!v) return std::nullopt;
  return as<std::string>(*v);
}

void Settings::setShortcut(const std::string& action, const std::optional<std::string>& key) {
  if (key)
    m_store->setValue("shortcuts/" + action, *key);
  else
    m_store->remove("shortcuts/" + action);
}

Bytes Settings::windowGeometry() const { return get<Bytes>("window/geometry", {}); }
Bytes Settings::windowState() const { return get<Bytes>("window/state", {}); }

void Settings::setWindowLayout(const Bytes& geometry, const Bytes& state) {
  m_store->setValue("window/geometry", geometry);
  m_store->setValue("window/state", state);
}

}  // namespace mammo::workstation
