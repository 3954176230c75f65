// Placeholder entry so the build works; the Electron shell replaces it.
import { app } from 'electron';

app.whenReady().then(() => app.quit());
