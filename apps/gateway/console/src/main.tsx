// The console's entry: mounts the app into #app. Everything it shows comes from the gateway's API.
import { render } from 'preact';
import { App } from './App';
import './app.css';

const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<App />, root);
}
