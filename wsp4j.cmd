@echo off
rem wsp4j launcher for Windows: finds a JDK >= 23 (JAVA_HOME, else java on PATH), builds on first use, runs the CLI.
setlocal
set "HERE=%~dp0"
set "JDK=%JAVA_HOME%"
if not defined JDK for /f "delims=" %%j in ('where java 2^>nul') do if not defined JDK set "JDK=%%~dpj.."
if not defined JDK (echo wsp4j: no JDK found; install JDK 23 or newer and set JAVA_HOME 1>&2 & exit /b 1)
for /f "tokens=2 delims==" %%v in ('findstr /b "JAVA_VERSION=" "%JDK%\release"') do set "JV=%%~v"
for /f "tokens=1 delims=." %%m in ("%JV%") do set "JMAJOR=%%m"
if not defined JMAJOR (echo wsp4j: cannot read the version of %JDK% 1>&2 & exit /b 1)
if %JMAJOR% LSS 23 (echo wsp4j: %JDK% is Java %JMAJOR%; wsp4j needs 23 or newer 1>&2 & exit /b 1)
if not exist "%HERE%target\wsp4j.jar" (
  echo wsp4j: building on first use ... 1>&2
  pushd "%HERE%" & set "JAVA_HOME=%JDK%" & call mvn -q -B -DskipTests package 1>&2 & popd
  if not exist "%HERE%target\wsp4j.jar" (echo wsp4j: build failed 1>&2 & exit /b 1)
)
"%JDK%\bin\java" --enable-native-access=ALL-UNNAMED %WSP4J_JAVA_OPTS% -jar "%HERE%target\wsp4j.jar" %*
exit /b %ERRORLEVEL%
