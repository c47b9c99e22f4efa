@echo off
rem wsp4j launcher for Windows: finds a JDK >= 22 (JAVA_HOME, else java on PATH), builds what is missing, runs the CLI.
setlocal
set "HERE=%~dp0"
set "JDK=%JAVA_HOME%"
if not defined JDK for /f "delims=" %%j in ('where java 2^>nul') do if not defined JDK set "JDK=%%~dpj.."
if not defined JDK (echo wsp4j: no JDK found; install JDK 22 or newer and set JAVA_HOME 1>&2 & exit /b 1)
for /f "tokens=2 delims==" %%v in ('findstr /b "JAVA_VERSION=" "%JDK%\release"') do set "JV=%%~v"
for /f "tokens=1 delims=." %%m in ("%JV%") do set "JMAJOR=%%m"
if not defined JMAJOR (echo wsp4j: cannot read the version of %JDK% 1>&2 & exit /b 1)
if %JMAJOR% LSS 22 (echo wsp4j: %JDK% is Java %JMAJOR%; wsp4j needs 22 or newer 1>&2 & exit /b 1)
rem Build when the jar or the jars it names (target\lib) are missing; Maven's own output shows the progress.
set "BUILD="
if not exist "%HERE%target\wsp4j.jar" set "BUILD=1"
if not exist "%HERE%target\lib\" set "BUILD=1"
if defined BUILD (
  echo wsp4j: building ^(first use or something missing^) with %JDK% ... 1>&2
  pushd "%HERE%" & set "JAVA_HOME=%JDK%" & call mvn -B -Dstyle.color=never -DskipTests package 1>&2 & popd
  if not exist "%HERE%target\wsp4j.jar" (echo wsp4j: build failed 1>&2 & exit /b 1)
)
"%JDK%\bin\java" --enable-native-access=ALL-UNNAMED %WSP4J_JAVA_OPTS% -jar "%HERE%target\wsp4j.jar" %*
exit /b %ERRORLEVEL%
