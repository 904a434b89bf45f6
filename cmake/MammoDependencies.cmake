# Every third-party dependency, found once. All come from Debian 12 packages (scripts/deps).
find_package(PNG REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json QUIET)
if(NOT TARGET nlohmann_json::nlohmann_json)
  # Header-only; a machine without the CMake package (the GPU bundle) has just the headers.
  find_path(MAMMO_JSON_INCLUDE_DIR nlohmann/json.hpp REQUIRED)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${MAMMO_JSON_INCLUDE_DIR})
endif()
if(MAMMO_WITH_DICOM)
  find_package(DCMTK REQUIRED CONFIG)
  find_package(GDCM REQUIRED CONFIG)
  find_package(Eigen3 REQUIRED NO_MODULE)
endif()
if(NOT MAMMO_INFERENCE_ONLY)
  find_package(CLI11 REQUIRED CONFIG)
  # ITK for mammo_registration. Only the components it uses: without COMPONENTS ITK's FFT module links
  # libfftw3 by name, which Debian's libinsighttoolkit5-dev only recommends. ITK's config finds HDF5, GDCM
  # and DCMTK itself (hence after ours, and C enabled). No include(${ITK_USE_FILE}): the imported targets
  # carry the include directory as a system one, and we use no ITK image I/O factories.
  find_package(ITK 5.2 REQUIRED COMPONENTS ITKCommon ITKTransform ITKImageGrid ITKSmoothing ITKOptimizersv4
               ITKMetricsv4 ITKRegistrationMethodsv4)
endif()
if(MAMMO_WITH_HDF5)
  # HDF5 (serial C library) for the NYU heatmap layout; the reference's LZF filter comes from Debian's
  # hdf5-plugin-lzf and is loaded at run time.
  find_path(MAMMO_HDF5_INCLUDE_DIR hdf5.h PATH_SUFFIXES hdf5/serial REQUIRED)
  find_library(MAMMO_HDF5_LIBRARY NAMES hdf5_serial hdf5 PATH_SUFFIXES hdf5/serial REQUIRED)
  add_library(mammo_hdf5 INTERFACE)
  target_include_directories(mammo_hdf5 SYSTEM INTERFACE ${MAMMO_HDF5_INCLUDE_DIR})
  target_link_libraries(mammo_hdf5 INTERFACE ${MAMMO_HDF5_LIBRARY})
endif()

if(MAMMO_WITH_TORCH)
  find_package(Torch REQUIRED)
  # Debian's libopencv-{core,imgproc}-dev ship no CMake config (that comes with the full libopencv-dev):
  # find the two libraries the NYU resize needs directly.
  find_path(MAMMO_OPENCV_INCLUDE_DIR opencv2/imgproc.hpp PATH_SUFFIXES opencv4 REQUIRED)
  find_library(MAMMO_OPENCV_CORE opencv_core REQUIRED)
  find_library(MAMMO_OPENCV_IMGPROC opencv_imgproc REQUIRED)
  add_library(mammo_opencv INTERFACE)
  target_include_directories(mammo_opencv SYSTEM INTERFACE ${MAMMO_OPENCV_INCLUDE_DIR})
  target_link_libraries(mammo_opencv INTERFACE ${MAMMO_OPENCV_IMGPROC} ${MAMMO_OPENCV_CORE})
endif()

if(MAMMO_WITH_GUI)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets OpenGL OpenGLWidgets Test)
  # The training dashboard's curves (mammo_ui only).
  find_package(Qt6 REQUIRED COMPONENTS Charts)
  # Debian's VTK::mpi link interface names MPI::MPI_C (../shared/docs/QT6-VTK.md).
  find_package(MPI COMPONENTS C)
  # Never GUISupportQt: Debian builds it against Qt 5.
  find_package(VTK REQUIRED COMPONENTS CommonCore CommonDataModel ImagingCore RenderingCore
               RenderingOpenGL2 RenderingImage InteractionStyle IOImage)
endif()

if(MAMMO_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(MAMMO_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
