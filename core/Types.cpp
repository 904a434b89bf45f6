#include "core/Types.h"

#include <algorithm>
#include <cctype>

namespace mammo::core {

std::string_view toString(Laterality l) {
  switch (l) {
    case Laterality::Left:
      return "L";
    case Laterality::Right:
      return "R";
    default:
      return "?";
  }
}

std::string_view toString(ViewPosition v) {
  switch (v) {
    case ViewPosition::CC:
      return "CC";
    case ViewPosition::MLO:
      return "MLO";
    case ViewPosition::ML:
      return "ML";
    case ViewPosition::LM:
      return "LM";
    case ViewPosition::XCCL:
      return "XCCL";
    case ViewPosition::Other:
      return "other";
    default:
      return "?";
  }
}

std::string_view toString(StandardView v) {
  switch (v) {
    case StandardView::LCC:
      return "L-CC";
    case StandardView::RCC:
      return "R-CC";
    case StandardView::LMLO:
      return "L-MLO";
    case StandardView::RMLO:
      return "R-MLO";
  }
  return "?";
}

std::string_view toString(Photometric p) { return p == Photometric::Monochrome1 ? "MONOCHROME1" : "MONOCHROME2"; }

std::string_view toString(PresentationIntent i) {
  switch (i) {
    case PresentationIntent::ForPresentation:
      return "FOR PRESENTATION";
    case PresentationIntent::ForProcessing:
      return "FOR PROCESSING";
    default:
      return "unknown";
  }
}

std::string_view toString(VoiFunction f) {
  switch (f) {
    case VoiFunction::LinearExact:
      return "LINEAR_EXACT";
    case VoiFunction::Sigmoid:
      return "SIGMOID";
    default:
      return "LINEAR";
  }
}

std::string_view toString(ImageEdge e) {
  switch (e) {
    case ImageEdge::Left:
      return "left";
    case ImageEdge::Right:
      return "right";
    default:
      return "unknown";
  }
}

std::optional<StandardView> parseStandardView(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) s.push_back(static_cast<char>(std::toupper(c)));
  }
  if (s == "LCC") return StandardView::LCC;
  if (s == "RCC") return StandardView::RCC;
  if (s == "LMLO") return StandardView::LMLO;
  if (s == "RMLO") return StandardView::RMLO;
  return std::nullopt;
}

std::optional<StandardView> standardView(Laterality l, ViewPosition v) {
  if (l == Laterality::Left && v == ViewPosition::CC) return StandardView::LCC;
  if (l == Laterality::Right && v == ViewPosition::CC) return StandardView::RCC;
  if (l == Laterality::Left && v == ViewPosition::MLO) return StandardView::LMLO;
  if (l == Laterality::Right && v == ViewPosition::MLO) return StandardView::RMLO;
  return std::nullopt;
}

Laterality lateralityOf(StandardView v) {
  return (v == StandardView::LCC || v == StandardView::LMLO) ? Laterality::Left : Laterality::Right;
}

ViewPosition viewPositionOf(StandardView v) {
  return (v == StandardView::LCC || v == StandardView::RCC) ? ViewPosition::CC : ViewPosition::MLO;
}

}  // namespace mammo::core
