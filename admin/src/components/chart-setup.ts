import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { editorialMarksPlugin } from './editorial-marks-plugin';

// Registered once for the whole plugin: importing this module is enough.
Chart.register(
  CategoryScale,
  LinearScale,
  PointElement,
  LineElement,
  Tooltip,
  Legend,
  editorialMarksPlugin
);
