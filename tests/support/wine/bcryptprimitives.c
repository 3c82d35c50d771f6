/*
 * Test support only, never shipped: a stand-in for Windows' bcryptprimitives.dll under wine 8 (Debian 12), which
 * lacks it. Go 1.22 and newer programs (the plugin's .exe launcher) take their random numbers from its ProcessPrng,
 * which Windows 10 and newer have; without it they stop at start-up ("bcryptprimitives.dll not found").
 * tests/windowsLaunchers.test.ts compiles this with mingw-w64 into the test's own wine prefix.
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's SystemFunction036), in chunks a ULONG can count.
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
