@echo off
rem wsp4j launcher for Windows: finds a JDK >= 22, builds what is missing, runs the CLI.
rem Order: JAVA_HOME if it is one, then each java.exe on PATH, then the newest JDK in the usual install
rem folders. A java.exe is asked for its own java.home and version (-XshowSettings:properties): Oracle's
rem installer puts a stub launcher on PATH (...\Common Files\Oracle\Java\javapath\java.exe) that is no
rem JDK folder, and the JDK behind it is what counts. A JDK has bin\javac.exe (the first use builds).
setlocal DisableDelayedExpansion
set "HERE=%~dp0"
call :find_jdk
if not defined JDK (
  echo wsp4j: no JDK 22 or newer found ^(looked at JAVA_HOME, java.exe on PATH, and the usual install folders^). 1>&2
  echo wsp4j: install one ^(e.g. Eclipse Temurin 25^) and set JAVA_HOME to it. 1>&2
  exit /b 1
)
rem Build when the jar or the jars it names (target\lib) are missing; Maven's own output shows the progress.
set "BUILD="
if not exist "%HERE%target\wsp4j.jar" set "BUILD=1"
if not exist "%HERE%target\lib\" set "BUILD=1"
if defined BUILD (
  echo wsp4j: building ^(first use or something missing^) with %JDK% ... 1>&2
  pushd "%HERE%" & set "JAVA_HOME=%JDK%" & call mvn -B -Dstyle.color=never -DskipTests package 1>&2 & popd
  if not exist "%HERE%target\wsp4j.jar" (echo wsp4j: build failed 1>&2 & exit /b 1)
)
"%JDK%\bin\java.exe" --enable-native-access=ALL-UNNAMED %WSP4J_JAVA_OPTS% -jar "%HERE%target\wsp4j.jar" %*
exit /b %ERRORLEVEL%

rem :find_jdk -- sets JDK to the JDK home chosen as the header says, or leaves it undefined.
:find_jdk
setlocal
set "JDK="
set "JDK_FEATURE=0"
if defined JAVA_HOME call :consider "%JAVA_HOME%\bin\java.exe"
if not defined JDK for /f "delims=" %%j in ('where java.exe 2^>nul') do if not defined JDK call :consider "%%j"
if not defined JDK (
  for %%r in ("%ProgramFiles%\Eclipse Adoptium" "%ProgramFiles%\Java" "%ProgramFiles%\Microsoft" "%ProgramFiles%\Zulu" "%ProgramFiles%\Amazon Corretto" "%ProgramFiles%\BellSoft") do (
    if exist "%%~r" for /d %%d in ("%%~r\*") do call :consider "%%~d\bin\java.exe" newest
  )
)
endlocal & set "JDK=%JDK%"
if "%JDK%"=="" set "JDK="
exit /b 0

rem :consider JAVA_EXE [newest] -- takes the JDK behind JAVA_EXE if it is 22 or newer (with "newest": only if it
rem is also newer than the one taken so far). The properties come on stderr as "    java.home = C:\...".
:consider
if not exist "%~1" exit /b 0
set "P_HOME="
set "P_SPEC="
for /f "tokens=1,* delims== " %%a in ('""%~1" -XshowSettings:properties -version 2>&1 | findstr /c:"java.home = " /c:"java.specification.version = ""') do (
  if "%%a"=="java.home" set "P_HOME=%%b"
  if "%%a"=="java.specification.version" set "P_SPEC=%%b"
)
if not defined P_HOME exit /b 0
if not defined P_SPEC exit /b 0
set "P_FEATURE=0"
for /f "tokens=1 delims=." %%m in ("%P_SPEC%") do set /a P_FEATURE=%%m 2>nul
if %P_FEATURE% LSS 22 exit /b 0
if not exist "%P_HOME%\bin\javac.exe" exit /b 0
if "%~2"=="newest" if %P_FEATURE% LEQ %JDK_FEATURE% exit /b 0
set "JDK=%P_HOME%"
set "JDK_FEATURE=%P_FEATURE%"
exit /b 0
