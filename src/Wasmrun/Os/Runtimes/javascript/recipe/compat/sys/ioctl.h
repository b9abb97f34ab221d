/* QuickJS compat for wasi-libc: the window-size request os.ttyGetWinSize names (ioctl then fails) */
#pragma once
#include_next <sys/ioctl.h>
#ifndef TIOCGWINSZ
#define TIOCGWINSZ 0x5413
struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; };
#endif
