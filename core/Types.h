#pragma once
// Vocabulary of the exam model: laterality, view, photometric interpretation, presentation intent.
#include <optional>
#include <string>
#include <string_view>

namespace mammo::core {

enum class Laterality { Unknown, Left, Right };
enum class ViewPosition { Unknown, CC, MLO, ML, LM, XCCL, Other };
// The four standard screening views, in the NYU iteration order L-CC, R-CC, L-MLO, R-MLO.
enum class StandardView { LCC = 0, RCC = 1, LMLO = 2, RMLO = 3 };
inline constexpr StandardView kStandardViews[] = {StandardView::LCC, StandardView::RCC, StandardView::LMLO,
                                                  StandardView::RMLO};
enum class Photometric { Monochrome1, Monochrome2 };
enum class PresentationIntent { Unknown, ForPresentation, ForProcessing };
enum class VoiFunction { Linear, LinearExact, Sigmoid };
// The image edge (column 0 = Left edge, last column = Right edge) that the chest wall touches.
enum class ImageEdge { Unknown, Left, Right };
// The two heatmaps of the NYU model (and the two pathologies of lesion masks).
enum class HeatmapKind { Benign = 0, Malignant = 1 };

std::string_view toString(Laterality);
std::string_view toString(ViewPosition);
std::string_view toString(StandardView);  // "L-CC", ...
std::string_view toString(Photometric);
std::string_view toString(PresentationIntent);
std::string_view toString(VoiFunction);
std::string_view toString(ImageEdge);

std::optional<StandardView> parseStandardView(std::string_view);  // "L-CC", "L_CC", "LCC", case-insensitive
std::optional<StandardView> standardView(Laterality, ViewPosition);  // ML/LM/XCCL do not map
Laterality lateralityOf(StandardView);
ViewPosition viewPositionOf(StandardView);  // CC or MLO

}  // namespace mammo::core
