# Finds the third-party libraries. Every one of them is a Debian 12 package that
# packaging/install-deps.sh installs; a missing one is a configure error that says which.
find_package(PkgConfig REQUIRED)

# libtorch (Debian's libtorch-dev here; a CUDA libtorch 2.x on training machines).
find_package(Torch REQUIRED)

if(TOCCATA_AUDIO)
  pkg_check_modules(FLUIDSYNTH REQUIRED IMPORTED_TARGET fluidsynth>=2.3)
  pkg_check_modules(RTAUDIO REQUIRED IMPORTED_TARGET rtaudio)
endif()

if(TOCCATA_MIDI)
  pkg_check_modules(RTMIDI REQUIRED IMPORTED_TARGET rtmidi)
endif()

if(TOCCATA_GUI OR BUILD_TESTING)
  set(_toccata_qt_components Core)
  if(TOCCATA_GUI)
    list(APPEND _toccata_qt_components Gui Widgets)
  endif()
  if(BUILD_TESTING)
    list(APPEND _toccata_qt_components Test)
  endif()
  find_package(Qt6 6.4 REQUIRED COMPONENTS ${_toccata_qt_components})
  qt_standard_project_setup()
endif()
