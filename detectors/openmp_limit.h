#pragma once
// Tesseract parallelises each recognition with OpenMP. On the short regions the detectors read,
// its spinning threads cost more than they save (a 1080×1920 frame: 2.8 s with them, 1.0 s
// without, on 2 cores), and OcrService's pool already reads regions in parallel. libgomp reads
// OMP_THREAD_LIMIT once, when it is loaded, before main runs: so a program that uses OCR sets it
// by re-executing itself with the variable set.

namespace uiw::detectors {

// When OMP_THREAD_LIMIT is unset: sets it to 1 and re-executes the program with the same
// arguments (it does not return). Returns when it was already set, or when exec fails (then
// OCR just runs slower).
void restart_with_single_threaded_openmp(char** argv);

}  // namespace uiw::detectors
